package mx.prepaidkeys.edge;

/** Who may call a route: the groups of the Cognito pool. A handler says which with {@link CalledBy}. */
public enum Audience {
    /** A distributor's users: group {@code distributors}, with the account their token names. */
    DISTRIBUTORS,
    /** The vendor's back office: group {@code admins}. */
    ADMINS
}
