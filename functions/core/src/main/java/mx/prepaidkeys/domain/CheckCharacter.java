package mx.prepaidkeys.domain;

/**
 * The check character of a prepaid key: a weighted sum over GF(32) of the 24 payload symbols.
 *
 * <p>Why not Luhn mod 32: it misses the transposition of 0 and Z. Here position {@code i} carries
 * the weight {@code a^i}, where {@code a} generates the multiplicative group of GF(32) (polynomial
 * x^5 + x^2 + 1). Weights are distinct and non-zero, so a single substitution changes the sum by
 * {@code a^i * (d xor d')}, never zero, and swapping two symbols anywhere changes it by
 * {@code (a^i xor a^j) * (d_i xor d_j)}, never zero either: every single substitution and every
 * transposition (adjacent or not) is caught. The web desk computes the same sum before sending.
 */
public final class CheckCharacter {
    private static final int FIELD = 32;
    private static final int POLYNOMIAL = 0b100101;
    private static final int[] EXP = new int[2 * FIELD];
    private static final int[] LOG = new int[FIELD];

    static {
        int x = 1;
        for (int i = 0; i < FIELD - 1; i++) {
            EXP[i] = x;
            LOG[x] = i;
            x <<= 1;
            if ((x & FIELD) != 0) x ^= POLYNOMIAL;
        }
        for (int i = FIELD - 1; i < EXP.length; i++) EXP[i] = EXP[i - (FIELD - 1)];
    }

    private CheckCharacter() {}

    /** The check symbol value that makes the weighted sum of {@code payload} plus it zero. */
    public static int compute(int[] payload) {
        int sum = weightedSum(payload, payload.length);
        // weight of the check position is a^n; dividing by it is multiplying by a^(31-n)
        return multiply(sum, EXP[(FIELD - 1) - payload.length % (FIELD - 1)]);
    }

    /** True when the full key (payload followed by its check symbol) sums to zero. */
    public static boolean verify(int[] symbols) {
        return weightedSum(symbols, symbols.length) == 0;
    }

    private static int weightedSum(int[] symbols, int length) {
        int sum = 0;
        for (int i = 0; i < length; i++) sum ^= multiply(symbols[i], EXP[i % (FIELD - 1)]);
        return sum;
    }

    private static int multiply(int a, int b) {
        if (a == 0 || b == 0) return 0;
        return EXP[LOG[a] + LOG[b]];
    }
}
