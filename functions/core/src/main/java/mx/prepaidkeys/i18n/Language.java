package mx.prepaidkeys.i18n;

import java.util.Locale;

/** The languages the service speaks: Mexican Spanish first, English on request. */
public enum Language {
    ES_MX(Locale.forLanguageTag("es-MX")),
    EN(Locale.ENGLISH);

    private final Locale locale;

    Language(Locale locale) {
        this.locale = locale;
    }

    public Locale locale() {
        return locale;
    }

    public String tag() {
        return locale.toLanguageTag();
    }

    /** A user's {@code locale} claim: English when it says so, Spanish otherwise. */
    public static Language fromTag(String tag) {
        return tag != null && tag.trim().toLowerCase(Locale.ROOT).startsWith("en") ? EN : ES_MX;
    }

    /**
     * The language an {@code Accept-Language} header asks for by name ({@code es…} or {@code en…}),
     * or empty when it names neither (absent, malformed, only {@code *} or other languages).
     */
    public static java.util.Optional<Language> named(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank() || acceptLanguage.length() > 256) return java.util.Optional.empty();
        String header = acceptLanguage.toLowerCase(Locale.ROOT);
        boolean names = java.util.Arrays.stream(header.split(",")).map(range -> range.split(";", 2)[0].trim())
                .anyMatch(tag -> tag.equals("en") || tag.startsWith("en-") || tag.equals("es") || tag.startsWith("es-"));
        return names ? java.util.Optional.of(negotiate(acceptLanguage)) : java.util.Optional.empty();
    }

    /**
     * The best match for an {@code Accept-Language} header (RFC 9110 quality values), Spanish when
     * nothing matches or the header is absent or malformed.
     */
    public static Language negotiate(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank() || acceptLanguage.length() > 256) return ES_MX;
        Language best = null;
        double bestQuality = 0;
        for (String range : acceptLanguage.split(",")) {
            String[] parts = range.trim().split(";", -1);
            String tag = parts[0].trim().toLowerCase(Locale.ROOT);
            double quality = 1;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim();
                if (parameter.startsWith("q=")) {
                    try {
                        quality = Double.parseDouble(parameter.substring(2));
                    } catch (NumberFormatException e) {
                        quality = 0;
                    }
                }
            }
            Language language = tag.equals("en") || tag.startsWith("en-") ? EN
                    : tag.equals("es") || tag.startsWith("es-") || tag.equals("*") ? ES_MX : null;
            if (language != null && quality > bestQuality) {
                best = language;
                bestQuality = quality;
            }
        }
        return best == null ? ES_MX : best;
    }
}
