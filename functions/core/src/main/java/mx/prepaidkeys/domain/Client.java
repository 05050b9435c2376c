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
