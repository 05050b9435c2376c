package mx.prepaidkeys.domain;

/**
 * A signed-in user of a distributor account. Several users share one {@code distributorId} and see
 * the same keys; {@code locale} is the language of their emails.
 */
public record DistributorUser(String sub, String email, String name, String distributorId, String locale) {

    /** How the user is named in emails and history: the name when the token carries one. */
    public String displayName() {
        return name == null || name.isBlank() ? email : name;
    }
}
