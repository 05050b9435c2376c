package mx.prepaidkeys.domain;

/**
 * Crockford's base32 alphabet: digits and letters without I, L, O and U, so that a key read aloud or
 * copied from paper has no look-alikes. Decoding forgives the look-alikes people type anyway.
 */
public final class Crockford {
    public static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            char c = ALPHABET.charAt(i);
            VALUES[c] = i;
            VALUES[Character.toLowerCase(c)] = i;
        }
        for (char c : new char[] {'O', 'o'}) VALUES[c] = 0;
        for (char c : new char[] {'I', 'i', 'L', 'l'}) VALUES[c] = 1;
    }

    private Crockford() {}

    /** The value 0..31 of a typed character, or -1 when it is not part of the alphabet (U included). */
    public static int value(char c) {
        return c < 128 ? VALUES[c] : -1;
    }

    public static char symbol(int value) {
        return ALPHABET.charAt(value);
    }

    /** Encodes bytes as base32 symbols, 5 bits per symbol, most significant bit first. */
    public static String encode(byte[] bytes, int symbols) {
        StringBuilder out = new StringBuilder(symbols);
        int buffer = 0;
        int bits = 0;
        int index = 0;
        while (out.length() < symbols) {
            if (bits < 5) {
                buffer = (buffer << 8) | (index < bytes.length ? bytes[index++] & 0xFF : 0);
                bits += 8;
            }
            out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
            bits -= 5;
        }
        return out.toString();
    }
}
