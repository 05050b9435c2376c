package mx.prepaidkeys.api.list;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import mx.prepaidkeys.activation.KeyListing;
import mx.prepaidkeys.domain.Client;
import mx.prepaidkeys.domain.ClientRfc;
import mx.prepaidkeys.domain.TextPolicy;
import mx.prepaidkeys.domain.Crockford;
import mx.prepaidkeys.domain.KeyFilter;
import mx.prepaidkeys.domain.KeySort;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.edge.RequestInvalid;

/** The list's query string, read strictly: every parameter known, every value checked, named when wrong. */
record ListParameters(KeyListing.Query query, List<Column> columns) {
    private static final Set<String> NAMES = Set.of("status", "product", "client", "activatedFrom", "activatedTo", "q", "fields",
            "sort", "limit", "cursor");
    private static final Pattern SKU = Pattern.compile("[A-Z0-9][A-Z0-9-]{1,31}");
    /** An RFC's shape (its check digit is not a filter's business). */
    private static final Pattern RFC = Pattern.compile("[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}");

    static ListParameters parse(Map<String, String> query) {
        List<RequestInvalid.FieldError> errors = new ArrayList<>();
        for (String name : query.keySet()) {
            if (!NAMES.contains(name)) errors.add(error(name, "request.query.unknown"));
        }
        Set<KeyStatus> statuses = statuses(query.get("status"), errors);
        String product = query.get("product");
        if (product != null && !SKU.matcher(product).matches()) errors.add(error("product", "request.query.product"));
        String rfc = null;
        String namePrefix = null;
        String client = query.get("client");
        if (client != null) {
            // Only what an RFC is written with may read as one: Java upper-cases a dotless ı to I.
            String compact = ClientRfc.plainCharacters(client) ? client.replaceAll("[\\s.-]", "").toUpperCase(java.util.Locale.ROOT) : "";
            TextPolicy.Checked name = client.length() > Client.MAX_NAME ? null : TextPolicy.check(client, TextPolicy.Kind.NAME);
            String key = name == null || !name.accepted() ? "" : Client.searchKey(name.text());
            if (RFC.matcher(compact).matches()) rfc = compact;
            else if (!key.isEmpty()) namePrefix = key;
            else errors.add(error("client", "request.query.client"));
        }
        String suffix = suffix(query.get("q"), errors);
        Instant from = day(query, "activatedFrom", errors);
        Instant toDay = day(query, "activatedTo", errors);
        Instant before = toDay == null ? null : toDay.atZone(Timestamps.MEXICO_CITY).plusDays(1).toInstant();
        if (from != null && toDay != null && from.isAfter(toDay)) errors.add(error("activatedFrom", "request.query.dateRange"));
        List<Column> columns = columns(query.get("fields"), errors);
        KeySort sort = sort(query.get("sort"), errors);
        if (query.get("sort") != null && (namePrefix != null || (rfc == null && suffix != null)
                || (rfc != null && sort.field() == KeySort.Field.EXPIRES_AT))) {
            errors.add(error("sort", "request.query.sortWithSearch"));
        }
        int limit = limit(query.get("limit"), errors);
        String cursor = query.get("cursor");
        if (!errors.isEmpty()) throw new RequestInvalid(errors);
        KeyFilter filter = new KeyFilter(statuses, product, rfc, namePrefix, suffix, from, before);
        return new ListParameters(new KeyListing.Query(filter, sort, limit, cursor == null || cursor.isEmpty() ? null : cursor), columns);
    }

    private static Set<KeyStatus> statuses(String parameter, List<RequestInvalid.FieldError> errors) {
        if (parameter == null) return KeyListing.VISIBLE;
        Set<KeyStatus> statuses = EnumSet.noneOf(KeyStatus.class);
        for (String name : parameter.split(",")) {
            KeyStatus status = KeyStatus.parse(name.trim());
            if (status == null || !KeyListing.VISIBLE.contains(status)) {
                errors.add(error("status", "request.query.status"));
                return KeyListing.VISIBLE;
            }
            statuses.add(status);
        }
        return statuses;
    }

    /** The last characters of a key as people type them: look-alikes forgiven, dashes ignored. */
    private static String suffix(String parameter, List<RequestInvalid.FieldError> errors) {
        if (parameter == null) return null;
        StringBuilder symbols = new StringBuilder();
        for (char c : parameter.toCharArray()) {
            if (c == '-' || Character.isWhitespace(c)) continue;
            int value = Crockford.value(c);
            if (value < 0) {
                errors.add(error("q", "request.query.suffix"));
                return null;
            }
            symbols.append(Crockford.symbol(value));
        }
        if (symbols.isEmpty() || symbols.length() > 5) {
            errors.add(error("q", "request.query.suffix"));
            return null;
        }
        return symbols.toString();
    }

    /** An ISO date, as the start of that day in Mexico City. */
    private static Instant day(Map<String, String> query, String name, List<RequestInvalid.FieldError> errors) {
        String value = query.get(name);
        if (value == null) return null;
        try {
            return LocalDate.parse(value).atStartOfDay(Timestamps.MEXICO_CITY).toInstant();
        } catch (DateTimeParseException notADate) {
            errors.add(error(name, "request.query.date"));
            return null;
        }
    }

    private static List<Column> columns(String parameter, List<RequestInvalid.FieldError> errors) {
        if (parameter == null) return List.of(Column.values());
        List<Column> columns = new ArrayList<>();
        for (String name : parameter.split(",")) {
            try {
                Column column = Column.valueOf(name.trim());
                if (!columns.contains(column)) columns.add(column);
            } catch (IllegalArgumentException unknown) {
                errors.add(error("fields", "request.query.fields"));
                return List.of(Column.values());
            }
        }
        return columns;
    }

    private static KeySort sort(String parameter, List<RequestInvalid.FieldError> errors) {
        if (parameter == null) return KeySort.NEWEST_FIRST;
        return switch (parameter) {
            case "activatedAt" -> new KeySort(KeySort.Field.ACTIVATED_AT, false);
            case "-activatedAt" -> KeySort.NEWEST_FIRST;
            case "expiresAt" -> new KeySort(KeySort.Field.EXPIRES_AT, false);
            case "-expiresAt" -> new KeySort(KeySort.Field.EXPIRES_AT, true);
            default -> {
                errors.add(error("sort", "request.query.sort"));
                yield KeySort.NEWEST_FIRST;
            }
        };
    }

    private static int limit(String parameter, List<RequestInvalid.FieldError> errors) {
        if (parameter == null) return KeyListing.DEFAULT_LIMIT;
        try {
            int limit = Integer.parseInt(parameter.trim());
            if (limit >= 1 && limit <= KeyListing.MAX_LIMIT) return limit;
        } catch (NumberFormatException ignored) {
            // answered below like any other out-of-range value
        }
        errors.add(error("limit", "request.query.limit"));
        return KeyListing.DEFAULT_LIMIT;
    }

    private static RequestInvalid.FieldError error(String name, String reason) {
        return new RequestInvalid.FieldError(name, "request.query", new RequestInvalid.Text(reason));
    }
}
