package mx.prepaidkeys.domain;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A key's internal id: the first 128 bits of the key's HMAC, in 26 lower-case Crockford symbols.
 * It names the key everywhere (paths, items, events) and tells nothing about the key itself.
 */
public record KeyId(String value) {
    private static final Pattern FORM = Pattern.compile("[0-9a-hjkmnp-tv-z]{26}");

    public KeyId {
        if (!valid(value)) throw new IllegalArgumentException("not a key id");
    }

    /** The id, if the text is one; empty for anything else. */
    public static Optional<KeyId> parse(String text) {
        return valid(text) ? Optional.of(new KeyId(text)) : Optional.empty();
    }

    private static boolean valid(String text) {
        return text != null && FORM.matcher(text).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
