package mx.prepaidkeys.domain;

import java.util.random.RandomGenerator;

/**
 * A prepaid key as a user types it, made canonical: 25 Crockford symbols, the last one a check
 * character. Instances are secrets: {@link #toString()} shows only the masked form, so a key that
 * slips into a log line or an exception message does not leak.
 */
public final class PrepaidKeyCode {
    public static final int LENGTH = 25;
    public static final int PAYLOAD = LENGTH - 1;
    public static final int GROUP = 5;
    /** Longest input worth normalising: 25 symbols, dashes and some spaces. Beyond it, reject. */
    public static final int MAX_TYPED_LENGTH = 64;
    /** 24 random symbols of 5 bits. */
    public static final int RANDOM_BITS = PAYLOAD * 5;

    private final String symbols;

    private PrepaidKeyCode(String symbols) {
        this.symbols = symbols;
    }

    /**
     * Normalises typed input (case, spaces, dashes, O read as 0, I and L as 1) and verifies the
     * check character.
     *
     * @throws DomainException with {@link DomainError.KeyFormatInvalid} when the input is not a key
     */
    public static PrepaidKeyCode parse(String typed) {
        if (typed == null || typed.length() > MAX_TYPED_LENGTH) throw invalid();
        int[] values = new int[LENGTH];
        int count = 0;
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (isSeparator(c)) continue;
            int value = Crockford.value(c);
            if (value < 0 || count == LENGTH) throw invalid();
            values[count++] = value;
        }
        if (count != LENGTH || !CheckCharacter.verify(values)) throw invalid();
        return new PrepaidKeyCode(symbolsOf(values));
    }

    /** A new key with {@value #RANDOM_BITS} random bits from {@code random} (a SecureRandom in production). */
    public static PrepaidKeyCode generate(RandomGenerator random) {
        int[] values = new int[LENGTH];
        for (int i = 0; i < PAYLOAD; i++) values[i] = random.nextInt(32);
        values[PAYLOAD] = CheckCharacter.compute(java.util.Arrays.copyOf(values, PAYLOAD));
        return new PrepaidKeyCode(symbolsOf(values));
    }

    private static boolean isSeparator(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c)
                || c == '-' || c == '\u2010' || c == '\u2011' || c == '\u2012' || c == '\u2013'
                || c == '\u2014' || c == '\u2212' || c == '_';
    }

    private static String symbolsOf(int[] values) {
        char[] chars = new char[values.length];
        for (int i = 0; i < values.length; i++) chars[i] = Crockford.symbol(values[i]);
        return new String(chars);
    }

    private static DomainException invalid() {
        return new DomainException(new DomainError.KeyFormatInvalid());
    }

    /** The 25 symbols without separators: what the keyed hash is computed over. */
    public String canonical() {
        return symbols;
    }

    /** {@code XXXXX-XXXXX-XXXXX-XXXXX-XXXXX}: the only form shown to people. */
    public String formatted() {
        StringBuilder out = new StringBuilder(LENGTH + 4);
        for (int i = 0; i < LENGTH; i += GROUP) {
            if (i > 0) out.append('-');
            out.append(symbols, i, i + GROUP);
        }
        return out.toString();
    }

    /** {@code *****-*****-*****-*****-7K3QZ}: enough to recognise a key, not to use it. */
    public String masked() {
        return "*****-*****-*****-*****-" + symbols.substring(LENGTH - GROUP);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PrepaidKeyCode code && code.symbols.equals(symbols);
    }

    @Override
    public int hashCode() {
        return symbols.hashCode();
    }

    @Override
    public String toString() {
        return masked();
    }
}
