package mx.prepaidkeys.i18n;

import java.text.MessageFormat;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * User-facing text from the {@code messages_es_MX} and {@code messages_en} bundles. Code is English;
 * what people read comes from here.
 */
public final class Messages {
    private static final String BUNDLE = "mx.prepaidkeys.messages";
    private static final Map<Language, ResourceBundle> BUNDLES = new EnumMap<>(Language.class);
    private static final Map<String, DateTimeFormatter> DATE_FORMATS = new ConcurrentHashMap<>();

    static {
        // No fallback to the JVM's default locale: a Lambda in us-east-1 must still answer in Spanish.
        ResourceBundle.Control control = ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
        for (Language language : Language.values()) {
            BUNDLES.put(language, ResourceBundle.getBundle(BUNDLE, language.locale(), Messages.class.getClassLoader(), control));
        }
    }

    private Messages() {}

    /** The text, formatted with MessageFormat (so quotes in bundles are always written the same way). */
    public static String get(Language language, String key, Object... arguments) {
        return new MessageFormat(BUNDLES.get(language).getString(key), language.locale()).format(arguments);
    }

    /** The text as written, for values that are patterns of another formatter. */
    public static String raw(Language language, String key) {
        return BUNDLES.get(language).getString(key);
    }

    /**
     * The formatter of a date pattern in the bundle (e.g. {@code date.pattern}), in the language's
     * locale; built once per language and pattern (formatters are immutable and thread-safe).
     */
    public static DateTimeFormatter dateFormat(Language language, String patternKey) {
        return DATE_FORMATS.computeIfAbsent(language.name() + '/' + patternKey,
                k -> DateTimeFormatter.ofPattern(raw(language, patternKey), language.locale()));
    }

    public static boolean has(Language language, String key) {
        return BUNDLES.get(language).containsKey(key);
    }
}
