package mx.prepaidkeys.domain;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A distributor account, as the {@code custom:distributor_id} claim names it. It becomes part of
 * index keys ({@code DIST#<id>#...}), so its alphabet has no {@code #} and no space: a claim that
 * could forge another tenant's key never becomes a DistributorId.
 */
public record DistributorId(String value) {
    private static final Pattern ALPHABET = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public DistributorId {
        if (!valid(value)) throw new IllegalArgumentException("not a distributor id: letters, digits and . _ : - only, at most 64");
    }

    /** The id, if the text is one; empty for anything that could not be. */
    public static Optional<DistributorId> parse(String text) {
        return valid(text) ? Optional.of(new DistributorId(text)) : Optional.empty();
    }

    private static boolean valid(String text) {
        return text != null && ALPHABET.matcher(text).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
