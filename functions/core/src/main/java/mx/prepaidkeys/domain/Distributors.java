package mx.prepaidkeys.domain;

import java.util.List;
import java.util.Optional;

/** Where distributor accounts are kept. */
public interface Distributors {

    Optional<Distributor> find(DistributorId id);

    /**
     * Creates or replaces the account.
     *
     * @return true when it is new
     */
    boolean save(Distributor distributor);

    /**
     * Accounts in id order.
     *
     * @param after the position a previous page ended at, null for the first
     */
    Page page(int limit, String after);

    /** @param nextPosition where the next page starts, null on the last */
    record Page(List<Distributor> distributors, String nextPosition) {}

    /**
     * Refuses a suspended account's users: one read, before anything else is touched. An account the
     * back office never recorded is active (distributors existed before their records did).
     */
    default void ensureActive(DistributorId id) {
        if (find(id).map(Distributor::suspended).orElse(false)) {
            throw new DomainException(new DomainError.AccountSuspended());
        }
    }
}
