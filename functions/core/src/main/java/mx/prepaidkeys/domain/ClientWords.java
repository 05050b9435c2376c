package mx.prepaidkeys.domain;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The words a client's name is found by: "Ana Gómez" is found by {@code ana}, {@code gomez} and any
 * prefix of them from {@value #MIN_PREFIX} characters, whatever the case and the accents.
 *
 * <p>A word is a run of letters and digits, lower-cased, its accents and tildes dropped (ñ reads as
 * n, as people type it on a keyboard without it); apostrophes join ("O'Brien" is {@code obrien}),
 * every other punctuation separates ("S.A. de C.V." gives {@code de}). One-letter words are not
 * indexed: a search needs two characters. A name indexes at most {@value #MAX_WORDS} distinct words,
 * so a client's writes always fit one transaction (DynamoDB: 100 items).
 */
public final class ClientWords {
    public static final int MIN_PREFIX = 2;
    public static final int MAX_WORDS = 16;
    /** The longest search text: the longest name. */
    public static final int MAX_QUERY = Client.MAX_NAME;

    private ClientWords() {}

    /** The indexed words of a name, in the order they appear. */
    public static List<String> of(String name) {
        Set<String> words = new LinkedHashSet<>();
        for (String word : split(name)) {
            if (word.length() >= MIN_PREFIX) words.add(word);
            if (words.size() == MAX_WORDS) break;
        }
        return List.copyOf(words);
    }

    /**
     * The prefixes a search text asks for, each normalised as a word; empty when it has none of
     * {@value #MIN_PREFIX} characters or more (shorter pieces are dropped: "de" of "Ana de" still counts).
     */
    public static List<String> prefixes(String query) {
        List<String> prefixes = new ArrayList<>();
        for (String word : split(query)) if (word.length() >= MIN_PREFIX && !prefixes.contains(word)) prefixes.add(word);
        return List.copyOf(prefixes);
    }

    /** Whether a name has, for each prefix, a word that starts with it. */
    public static boolean matches(String name, List<String> prefixes) {
        List<String> words = split(name);
        return prefixes.stream().allMatch(prefix -> words.stream().anyMatch(word -> word.startsWith(prefix)));
    }

    private static List<String> split(String text) {
        String bare = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .replaceAll("['’]", "").toLowerCase(Locale.ROOT);
        List<String> words = new ArrayList<>();
        for (String word : bare.split("[^\\p{L}\\p{N}]+")) if (!word.isEmpty()) words.add(word);
        return words;
    }
}
