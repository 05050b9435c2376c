package mx.prepaidkeys.domain;

import java.util.Optional;

/**
 * A person signed in, by the pool's {@code sub}: stable for the user's life, unlike their email or
 * username, so attempt slots, audit lines and activations name people by it.
 */
public record UserId(String value) {
    private static final int MAX_LENGTH = 128;

    public UserId {
        if (!valid(value)) throw new IllegalArgumentException("not a user id");
    }

    /** The id, if the text is one; empty for anything else. */
    public static Optional<UserId> parse(String text) {
        return valid(text) ? Optional.of(new UserId(text)) : Optional.empty();
    }

    /** Not blank, at most {@value #MAX_LENGTH} characters, and no {@code #}: it becomes part of item keys too. */
    private static boolean valid(String text) {
        return text != null && !text.isBlank() && text.length() <= MAX_LENGTH && !text.contains("#");
    }

    @Override
    public String toString() {
        return value;
    }
}
