package mx.prepaidkeys.domain;

/**
 * A signed-in user of a distributor account. Several users share one {@code distributorId} and see
 * the same keys; {@code locale} is the language of their emails.
 *
 * <p>Who the user is for the record is {@code sub} and {@code username}: neither can be changed by the
 * user. {@code email} is only where their emails go, and only when {@code emailVerified}: users can
 * change their address, and until they prove it is theirs it may be anyone's.
 *
 * @param username the Cognito user name ({@code cognito:username}); null only for callers built by tools
 */
public record DistributorUser(UserId sub, String username, String email, boolean emailVerified, String name, DistributorId distributorId,
                              String locale) {

    /**
     * A user whose address is known to be theirs, named by {@code sub}: for tools that act for users
     * outside a request (seed data, benchmarks), never for a caller read from a token.
     */
    public DistributorUser(UserId sub, String email, String name, DistributorId distributorId, String locale) {
        this(sub, null, email, true, name, distributorId, locale);
    }

    /** The name the records keep for the user: the username, or the {@code sub} when there is none. */
    public String actorName() {
        return username == null || username.isBlank() ? sub.value() : username;
    }
}
