package mx.prepaidkeys.i18n;

import java.text.MessageFormat;
import java.util.EnumMap;
import java.util.Map;
import java.util.ResourceBundle;

/**
 * User-facing text from the {@code messages_es_MX} and {@code messages_en} bundles. Code is English;
 * what people read comes from here.
 */
public final class Messages {
    private static final String BUNDLE = "mx.prepaidkeys.messages";
    private static final Map<Language, ResourceBundle> BUNDLES = new EnumMap<>(Language.class);

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

    public static boolean has(Language language, String key) {
        return BUNDLES.get(language).containsKey(key);
    }
}
