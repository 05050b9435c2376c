package mx.prepaidkeys.domain;

import java.text.Normalizer;
import java.util.EnumSet;
import java.util.Set;

/**
 * What text people read may be made of: client names, the client filter, product names and
 * descriptions, licence titles and texts, batch notes, void reasons. People type it and other people
 * read it (in the desk, in CSV files, on invoices, in emails), so it must read as what it is: no
 * character that is stored but not seen, or seen as another.
 *
 * <p>The text is taken in NFC (composed accents), and then refused when it holds:
 * <ul>
 *   <li>control characters (new lines and tabs only in multi-line text);</li>
 *   <li>invisible characters: format characters (zero-width spaces and joiners, direction marks
 *   and overrides, tag characters) and Unicode's other default-ignorable ones (the Hangul fillers
 *   U+115F, U+1160, U+3164 and U+FFA0, the combining grapheme joiner U+034F, variation selectors);</li>
 *   <li>more than {@value #MAX_MARKS} combining marks on one letter, or a mark on no letter ("Zalgo" text
 *   that spills over the lines around it; three because Devanagari writes ड़ें with three);</li>
 *   <li>compatibility forms, whose NFKC differs from their NFC: full-width and half-width letters,
 *   mathematical and circled letters, ligatures, presentation forms, spaces other than the plain
 *   one (but for ª º ™ and …, which Spanish business text uses);</li>
 *   <li>anything but letters of a script, digits and the kind's punctuation: emoji and symbols are
 *   refused;</li>
 *   <li>in names and titles, a word that mixes scripts (a Cyrillic "е" among Latin letters
 *   looks the same and is another name), but for Chinese, Japanese and Korean, which mix by nature.</li>
 * </ul>
 * No AWS, no Micronaut: the edge reads every such JSON field through this, and names the field it refuses.
 */
public final class TextPolicy {
    /** Combining marks one letter may carry. */
    public static final int MAX_MARKS = 3;
    /** Besides letters, digits and spaces, what business names on Mexican invoices use. */
    public static final String NAME_PUNCTUATION = ".,&'’-()/+#°“”:!";
    /** Symbols a text may hold besides punctuation, currency, maths and modifier signs. */
    public static final String TEXT_SYMBOLS = "©®™°℗№";
    /** Compatibility characters Spanish business text uses, kept: ordinal indicators, trade mark, ellipsis. */
    private static final String COMPATIBLE = "ªº™…";
    /** Scripts that mix within one word by nature: Han with kana (Japanese), with Hangul (Korean), with Bopomofo. */
    private static final Set<Character.UnicodeScript> EAST_ASIAN = EnumSet.of(Character.UnicodeScript.HAN,
            Character.UnicodeScript.HIRAGANA, Character.UnicodeScript.KATAKANA, Character.UnicodeScript.HANGUL,
            Character.UnicodeScript.BOPOMOFO);

    private TextPolicy() {}

    /** What a field holds, which decides its punctuation and whether words may mix scripts. */
    public enum Kind {
        /** A person's or company's name (client names and the client filter): {@link #NAME_PUNCTUATION} only. */
        NAME(false, false, true),
        /** The name of a thing, one line (product names, licence titles): any punctuation, one script per word. */
        TITLE(true, false, true),
        /** One line of free text (descriptions, notes, reasons). */
        LINE(true, false, false),
        /** Free text over several lines (a licence's text). */
        TEXT(true, true, false);

        private final boolean punctuation;
        private final boolean multiLine;
        private final boolean oneScriptPerWord;

        Kind(boolean punctuation, boolean multiLine, boolean oneScriptPerWord) {
            this.punctuation = punctuation;
            this.multiLine = multiLine;
            this.oneScriptPerWord = oneScriptPerWord;
        }
    }

    /** Why a text was refused; each has its text in the message bundles. */
    public enum Refusal { CONTROL, INVISIBLE, MARKS, COMPATIBILITY, CHARACTERS, MIXED_SCRIPTS }

    /**
     * @param text    the text in NFC, to store and show; null when refused
     * @param refusal why it was refused; null when accepted
     */
    public record Checked(String text, Refusal refusal) {
        public boolean accepted() {
            return refusal == null;
        }
    }

    public static Checked check(String typed, Kind kind) {
        String text = Normalizer.normalize(typed, Normalizer.Form.NFC);
        int marks = 0;
        boolean onLetter = false;
        Character.UnicodeScript wordScript = null;
        boolean eastAsianWord = true;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            int type = Character.getType(c);
            if (type == Character.CONTROL) {
                if (kind.multiLine && (c == '\n' || c == '\r' || c == '\t')) {
                    onLetter = false;
                    wordScript = null;
                    eastAsianWord = true;
                    continue;
                }
                return refused(Refusal.CONTROL);
            }
            if (type == Character.FORMAT || defaultIgnorable(c)) return refused(Refusal.INVISIBLE);
            if (c >= 0x80 && COMPATIBLE.indexOf(c) < 0 && !compatibilityStable(c)) return refused(Refusal.COMPATIBILITY);
            if (isMark(type)) {
                if (!onLetter || ++marks > MAX_MARKS) return refused(Refusal.MARKS);
                continue;
            }
            marks = 0;
            if (Character.isLetter(c)) {
                onLetter = true;
                Character.UnicodeScript script = Character.UnicodeScript.of(c);
                if (script == Character.UnicodeScript.UNKNOWN) return refused(Refusal.CHARACTERS);
                if (script != Character.UnicodeScript.COMMON && script != Character.UnicodeScript.INHERITED) {
                    if (wordScript != null && wordScript != script && kind.oneScriptPerWord
                            && !(eastAsianWord && EAST_ASIAN.contains(script) && EAST_ASIAN.contains(wordScript))) {
                        return refused(Refusal.MIXED_SCRIPTS);
                    }
                    eastAsianWord &= EAST_ASIAN.contains(script);
                    wordScript = script;
                }
                continue;
            }
            onLetter = false;
            if (type == Character.DECIMAL_DIGIT_NUMBER) continue;
            // Anything else ends a word.
            wordScript = null;
            eastAsianWord = true;
            if (c == ' ' || allowedPunctuation(c, type, kind)) continue;
            return refused(Refusal.CHARACTERS);
        }
        return new Checked(text, null);
    }

    private static Checked refused(Refusal refusal) {
        return new Checked(null, refusal);
    }

    private static boolean isMark(int type) {
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
    }

    private static boolean allowedPunctuation(int c, int type, Kind kind) {
        if (!kind.punctuation) return NAME_PUNCTUATION.indexOf(c) >= 0;
        return switch (type) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL -> true;
            default -> TEXT_SYMBOLS.indexOf(c) >= 0;
        };
    }

    /** Whether the character is its own NFKC form: no wide, narrow, font, circled or spacing variant of another. */
    private static boolean compatibilityStable(int c) {
        String one = Character.toString(c);
        return Normalizer.isNormalized(one, Normalizer.Form.NFKC);
    }

    /**
     * Unicode's Default_Ignorable_Code_Point outside the format characters (which are refused as a
     * category): shown as nothing by design, so nothing a reader could see.
     */
    static boolean defaultIgnorable(int c) {
        return c == 0x00AD || c == 0x034F || c == 0x061C || c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5
                || (c >= 0x180B && c <= 0x180F) || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2060 && c <= 0x206F) || c == 0x3164 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF || c == 0xFFA0
                || (c >= 0xFFF0 && c <= 0xFFF8) || (c >= 0x1BCA0 && c <= 0x1BCA3) || (c >= 0x1D173 && c <= 0x1D17A)
                || (c >= 0xE0000 && c <= 0xE0FFF);
    }
}
