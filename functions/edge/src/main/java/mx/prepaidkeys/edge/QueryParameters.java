package mx.prepaidkeys.edge;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import mx.prepaidkeys.domain.ClientRfc;
import mx.prepaidkeys.domain.Crockford;
import mx.prepaidkeys.domain.KeyStatus;

/**
 * A query string read strictly: every parameter known, every value checked, every refusal naming
 * its parameter (400 {@code REQUEST_INVALID} with all of them, from {@link #end()}).
 */
public final class QueryParameters {
    /** A product filter: any SKU the catalogue may hold, those from before its rules included. */
    private static final Pattern SKU = Pattern.compile("[A-Z0-9][A-Z0-9-]{1,31}");
    /** An RFC's shape (its check digit is not a filter's business). */
    private static final Pattern RFC = Pattern.compile("[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}");

    /** Every status once, with spaces: no list of statuses is longer. */
    private static final int MAX_STATUSES_TYPED = 100;

    private final Map<String, String> query;
    private final List<RequestInvalid.FieldError> errors = new ArrayList<>();

    public QueryParameters(Map<String, String> query, Set<String> known) {
        this.query = query;
        for (String name : query.keySet()) {
            if (!known.contains(name)) reject(name, "request.query.unknown");
        }
    }

    /** The parameter as sent, or null. */
    public String get(String name) {
        return query.get(name);
    }

    /** A comma-separated list of statuses among {@code allowed}, case-insensitive; {@code allowed} when absent. */
    public Set<KeyStatus> statuses(String name, Set<KeyStatus> allowed, String reason) {
        String parameter = query.get(name);
        if (parameter == null) return allowed;
        if (parameter.length() > MAX_STATUSES_TYPED) {
            reject(name, reason);
            return allowed;
        }
        Set<KeyStatus> statuses = EnumSet.noneOf(KeyStatus.class);
        for (String each : parameter.split(",")) {
            KeyStatus status = KeyStatus.parse(each.trim());
            if (status == null || !allowed.contains(status)) {
                reject(name, reason);
                return allowed;
            }
            statuses.add(status);
        }
        return statuses;
    }

    /** A product SKU filter, or null. */
    public String product(String name) {
        String product = query.get(name);
        if (product != null && !SKU.matcher(product).matches()) reject(name, "request.query.product");
        return product;
    }

    /** A whole number from 1 to {@code max}; {@code fallback} when absent. */
    public int limit(String name, int fallback, int max, String reason) {
        String parameter = query.get(name);
        if (parameter == null) return fallback;
        try {
            int limit = Integer.parseInt(parameter.trim());
            if (limit >= 1 && limit <= max) return limit;
        } catch (NumberFormatException ignored) {
            // answered below like any other out-of-range value
        }
        reject(name, reason);
        return fallback;
    }

    /** The previous page's cursor; empty means none. PageCursor judges the rest. */
    public String cursor(String name) {
        String cursor = query.get(name);
        return cursor == null || cursor.isEmpty() ? null : cursor;
    }

    /** An RFC as people write it (case, spaces, dots and dashes aside), normalised; null when the text is no RFC. */
    public static String rfc(String typed) {
        // Only what an RFC is written with may read as one: Java upper-cases a dotless ı to I.
        String compact = ClientRfc.plainCharacters(typed) ? typed.replaceAll("[\\s.-]", "").toUpperCase(Locale.ROOT) : "";
        return RFC.matcher(compact).matches() ? compact : null;
    }

    /**
     * Symbols of a key as people type them, canonical: case ignored, O read as 0, I and L as 1, dashes
     * and spaces left out; null when a character is none of those.
     */
    public static String keySymbols(String typed) {
        StringBuilder symbols = new StringBuilder();
        for (char c : typed.toCharArray()) {
            if (c == '-' || Character.isWhitespace(c)) continue;
            int value = Crockford.value(c);
            if (value < 0) return null;
            symbols.append(Crockford.symbol(value));
        }
        return symbols.toString();
    }

    /** Records that a parameter is refused, with the reason's message key ({@code request.query.*}). */
    public void reject(String name, String reason) {
        errors.add(new RequestInvalid.FieldError(name, "request.query", new RequestInvalid.Text(reason)));
    }

    /** Throws with every refusal recorded, if any. */
    public void end() {
        if (!errors.isEmpty()) throw new RequestInvalid(errors);
    }
}
