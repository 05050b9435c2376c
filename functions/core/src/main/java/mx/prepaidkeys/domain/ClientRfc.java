package mx.prepaidkeys.domain;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A client's RFC (Registro Federal de Contribuyentes), as SAT defines it: 12 characters for a
 * company (3 letters), 13 for a person (4 letters), then the date of incorporation or birth
 * (YYMMDD), then a homoclave of two characters and a check digit.
 *
 * <p>The check digit is SAT's mod 11 over {@code 0-9 A-N & O-Z space Ñ}. About 1.5% of RFCs in real
 * use carry a wrong one, so a mismatch is its own error, which the caller may override
 * ({@code confirmRfc}); the override is recorded in the key's history.
 */
public final class ClientRfc {
    /** SAT's generic RFCs: sales to the general public, and to foreigners. Accepted as they are. */
    public static final String GENERIC_PUBLIC = "XAXX010101000";
    public static final String GENERIC_FOREIGN = "XEXX010101000";
    private static final String CHECK_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ";
    private static final Pattern LETTERS = Pattern.compile("[A-ZÑ&]+");
    private static final Pattern HOMOCLAVE = Pattern.compile("[A-Z0-9]{2}[0-9A]");

    /** What is wrong with a refused RFC; each has its text in the message bundles ({@code rfc.<NAME>}). */
    public enum Problem { CHARACTERS, LENGTH, LETTERS, DATE, HOMOCLAVE }

    private final String value;
    private final boolean checkDigitMismatch;

    private ClientRfc(String value, boolean checkDigitMismatch) {
        this.value = value;
        this.checkDigitMismatch = checkDigitMismatch;
    }

    /**
     * Normalises (case, spaces, dashes, dots) and validates an RFC.
     *
     * @param acceptWrongCheckDigit the caller confirmed an RFC whose check digit does not match
     * @throws DomainException {@code ClientRfcInvalid} with the problem, or {@code ClientRfcCheckDigit}
     */
    public static ClientRfc parse(String typed, boolean acceptWrongCheckDigit) {
        if (!plainCharacters(typed)) throw invalid(Problem.CHARACTERS);
        String rfc = normalise(typed);
        if (rfc.equals(GENERIC_PUBLIC) || rfc.equals(GENERIC_FOREIGN)) return new ClientRfc(rfc, false);
        if (rfc.length() != 12 && rfc.length() != 13) throw invalid(Problem.LENGTH);
        int letters = rfc.length() - 9;
        if (!LETTERS.matcher(rfc.substring(0, letters)).matches()) throw invalid(Problem.LETTERS);
        if (!realDate(rfc.substring(letters, letters + 6))) throw invalid(Problem.DATE);
        if (!HOMOCLAVE.matcher(rfc.substring(letters + 6)).matches()) throw invalid(Problem.HOMOCLAVE);
        boolean mismatch = checkDigit(rfc) != rfc.charAt(rfc.length() - 1);
        if (mismatch && !acceptWrongCheckDigit) throw new DomainException(new DomainError.ClientRfcCheckDigit());
        return new ClientRfc(rfc, mismatch);
    }

    /**
     * Whether a typed RFC is written in ASCII, but for Ñ (and the no-break spaces of pasted text).
     * Anything else is refused before it is normalised: Java reads Arabic-Indic, full-width and
     * Devanagari digits as digits and upper-cases a dotless ı to I, so such an RFC would otherwise
     * pass for a real one. What ASCII holds beyond letters, digits and &amp; the format checks refuse.
     */
    public static boolean plainCharacters(String typed) {
        if (typed == null) return true;
        String text = java.text.Normalizer.normalize(typed, java.text.Normalizer.Form.NFC);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 && c != 'Ñ' && c != 'ñ' && c != '\u00A0') return false;
        }
        return true;
    }

    static String normalise(String typed) {
        if (typed == null) return "";
        StringBuilder out = new StringBuilder(typed.length());
        String composed = java.text.Normalizer.normalize(typed, java.text.Normalizer.Form.NFC);
        for (char c : composed.toUpperCase(Locale.ROOT).toCharArray()) {
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '-' || c == '.' || c == '_') continue;
            out.append(c);
        }
        return out.toString();
    }

    /** YYMMDD is a date of this century or the last one. */
    private static boolean realDate(String yymmdd) {
        if (!yymmdd.chars().allMatch(c -> c >= '0' && c <= '9')) return false;
        int yy = Integer.parseInt(yymmdd.substring(0, 2));
        int month = Integer.parseInt(yymmdd.substring(2, 4));
        int day = Integer.parseInt(yymmdd.substring(4, 6));
        for (int century : new int[] {1900, 2000}) {
            try {
                LocalDate.of(century + yy, month, day);
                return true;
            } catch (DateTimeException notInThisCentury) {
                // 29 February exists in some centuries only
            }
        }
        return false;
    }

    /** SAT's check digit: weights 13..2 over the first twelve characters of the RFC padded to 13 with a space. */
    static char checkDigit(String rfc) {
        String padded = rfc.length() == 12 ? " " + rfc : rfc;
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            int value = CHECK_ALPHABET.indexOf(padded.charAt(i));
            if (value < 0) return '?';
            sum += value * (13 - i);
        }
        int digit = 11 - sum % 11;
        return digit == 11 ? '0' : digit == 10 ? 'A' : (char) ('0' + digit);
    }

    private static DomainException invalid(Problem problem) {
        return new DomainException(new DomainError.ClientRfcInvalid(problem));
    }

    public String value() {
        return value;
    }

    public boolean isCompany() {
        return value.length() == 12;
    }

    /** True when the check digit did not match and the caller confirmed the RFC anyway. */
    public boolean checkDigitOverridden() {
        return checkDigitMismatch;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClientRfc rfc && rfc.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
