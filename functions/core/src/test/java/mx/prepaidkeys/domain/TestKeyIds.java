package mx.prepaidkeys.domain;

/** Key ids for tests that need one without hashing a key: real ids (26 Crockford symbols), told apart by a number. */
public final class TestKeyIds {
    private TestKeyIds() {}

    /** {@code 00000000000000000000000001} for 1, and so on. */
    public static KeyId keyId(int n) {
        return new KeyId(String.format("%026d", n));
    }
}
