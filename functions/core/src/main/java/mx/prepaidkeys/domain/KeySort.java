package mx.prepaidkeys.domain;

/** The list's order: by activation or by expiry, either way. Keys that never expire sort last by expiry. */
public record KeySort(Field field, boolean descending) {
    public enum Field { ACTIVATED_AT, EXPIRES_AT }

    public static final KeySort NEWEST_FIRST = new KeySort(Field.ACTIVATED_AT, true);
}
