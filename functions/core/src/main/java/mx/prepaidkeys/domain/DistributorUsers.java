package mx.prepaidkeys.domain;

import java.util.List;

/** Where the people who sign in are kept (the user pool), as the back office reads them. */
public interface DistributorUsers {

    /** The users whose {@code custom:distributor_id} names the distributor, by username. */
    List<AccountUser> of(DistributorId distributorId);

    /**
     * @param group   the pool group the user is in ({@code distributors})
     * @param enabled false when an admin disabled the user (they cannot sign in)
     * @param status  Cognito's user status: CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED, ...
     */
    record AccountUser(String username, String email, String group, boolean enabled, String status) {}
}
