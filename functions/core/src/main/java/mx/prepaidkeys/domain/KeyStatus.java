package mx.prepaidkeys.domain;

/**
 * The lifecycle of product.md: ISSUED -> AVAILABLE -> USED; ISSUED or AVAILABLE -> VOID; past
 * {@code expiresAt} an ISSUED or AVAILABLE key reads as EXPIRED. EXPIRED is never stored: it is
 * computed from the clock, so no job has to run for it to be true.
 */
public enum KeyStatus {
    /** Minted in a batch, sold, in nobody's account. */
    ISSUED,
    /** "Disponible sin asignar": confirmed by a distributor, not yet given to a client. */
    AVAILABLE,
    /** "Utilizada": assigned to a client. */
    USED,
    VOID,
    EXPIRED;

    public static KeyStatus parse(String name) {
        for (KeyStatus status : values()) {
            if (status.name().equalsIgnoreCase(name)) return status;
        }
        return null;
    }
}
