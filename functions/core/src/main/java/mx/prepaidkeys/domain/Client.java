package mx.prepaidkeys.domain;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The business a key is assigned to ("Utilizada" by whom).
 *
 * @param name as the distributor wrote it, with spaces tidied
 */
public record Client(String rfc, String name) {
    public static final int MAX_NAME = 254;
    /** Besides letters, digits and spaces, what business names on Mexican invoices use. */
    public static final String NAME_PUNCTUATION = TextPolicy.NAME_PUNCTUATION;

    /**
     * Whether a text is made of what names are made of ({@link TextPolicy}, {@code NAME}): letters of
     * any script with their accents, one script per word, digits, spaces and {@link #NAME_PUNCTUATION}.
     * Emoji, symbols, control and invisible characters, full-width letters and the punctuation of
     * code ({@code ; = < > % * \ | ` $ { }}) are not part of any name.
     */
    public static boolean isNameText(String text) {
        return TextPolicy.check(text, TextPolicy.Kind.NAME).accepted();
    }

    public static Client of(ClientRfc rfc, String name) {
        return new Client(rfc.value(), name.strip().replaceAll("\\s+", " "));
    }

    /** The name for case- and accent-insensitive prefix search: "Café Núñez" -> "CAFE NUNEZ". */
    public String searchKey() {
        return searchKey(name);
    }

    public static String searchKey(String text) {
        String decomposed = Normalizer.normalize(text.strip().replaceAll("\\s+", " "), Normalizer.Form.NFD);
        return decomposed.replaceAll("\\p{M}", "").toUpperCase(Locale.ROOT);
    }
}
