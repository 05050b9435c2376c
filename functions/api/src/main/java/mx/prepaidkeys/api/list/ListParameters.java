package mx.prepaidkeys.api.list;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mx.prepaidkeys.activation.KeyListing;
import mx.prepaidkeys.domain.Client;
import mx.prepaidkeys.domain.TextPolicy;
import mx.prepaidkeys.domain.KeyFilter;
import mx.prepaidkeys.domain.KeySort;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.edge.QueryParameters;

/** The list's query string, read strictly: every parameter known, every value checked, named when wrong. */
record ListParameters(KeyListing.Query query, List<Column> columns) {
    private static final Set<String> NAMES = Set.of("status", "product", "client", "activatedFrom", "activatedTo", "q", "fields",
            "sort", "limit", "cursor");

    static ListParameters parse(Map<String, String> query) {
        QueryParameters parameters = new QueryParameters(query, NAMES);
        Set<KeyStatus> statuses = parameters.statuses("status", KeyListing.VISIBLE, "request.query.status");
        String product = parameters.product("product");
        String rfc = null;
        String namePrefix = null;
        String client = query.get("client");
        if (client != null) {
            TextPolicy.Checked name = client.length() > Client.MAX_NAME ? null : TextPolicy.check(client, TextPolicy.Kind.NAME);
            String key = name == null || !name.accepted() ? "" : Client.searchKey(name.text());
            rfc = QueryParameters.rfc(client);
            if (rfc == null && !key.isEmpty()) namePrefix = key;
            else if (rfc == null) parameters.reject("client", "request.query.client");
        }
        String suffix = suffix(query.get("q"), parameters);
        Instant from = day(query, "activatedFrom", parameters);
        Instant toDay = day(query, "activatedTo", parameters);
        Instant before = toDay == null ? null : toDay.atZone(Timestamps.MEXICO_CITY).plusDays(1).toInstant();
        if (from != null && toDay != null && from.isAfter(toDay)) parameters.reject("activatedFrom", "request.query.dateRange");
        List<Column> columns = columns(query.get("fields"), parameters);
        KeySort sort = sort(query.get("sort"), parameters);
        if (query.get("sort") != null && (namePrefix != null || (rfc == null && suffix != null)
                || (rfc != null && sort.field() == KeySort.Field.EXPIRES_AT))) {
            parameters.reject("sort", "request.query.sortWithSearch");
        }
        int limit = parameters.limit("limit", KeyListing.DEFAULT_LIMIT, KeyListing.MAX_LIMIT, "request.query.limit");
        String cursor = parameters.cursor("cursor");
        parameters.end();
        KeyFilter filter = new KeyFilter(statuses, product, rfc, namePrefix, suffix, from, before);
        return new ListParameters(new KeyListing.Query(filter, sort, limit, cursor), columns);
    }

    /** The last characters of a key as people type them: look-alikes forgiven, dashes ignored. */
    private static String suffix(String parameter, QueryParameters parameters) {
        if (parameter == null) return null;
        String symbols = QueryParameters.keySymbols(parameter);
        if (symbols == null || symbols.isEmpty() || symbols.length() > 5) {
            parameters.reject("q", "request.query.suffix");
            return null;
        }
        return symbols;
    }

    /** An ISO date, as the start of that day in Mexico City. */
    private static Instant day(Map<String, String> query, String name, QueryParameters parameters) {
        String value = query.get(name);
        if (value == null) return null;
        try {
            return LocalDate.parse(value).atStartOfDay(Timestamps.MEXICO_CITY).toInstant();
        } catch (DateTimeParseException notADate) {
            parameters.reject(name, "request.query.date");
            return null;
        }
    }

    private static List<Column> columns(String parameter, QueryParameters parameters) {
        if (parameter == null) return List.of(Column.values());
        List<Column> columns = new ArrayList<>();
        for (String name : parameter.split(",")) {
            try {
                Column column = Column.valueOf(name.trim());
                if (!columns.contains(column)) columns.add(column);
            } catch (IllegalArgumentException unknown) {
                parameters.reject("fields", "request.query.fields");
                return List.of(Column.values());
            }
        }
        return columns;
    }

    private static KeySort sort(String parameter, QueryParameters parameters) {
        if (parameter == null) return KeySort.NEWEST_FIRST;
        return switch (parameter) {
            case "activatedAt" -> new KeySort(KeySort.Field.ACTIVATED_AT, false);
            case "-activatedAt" -> KeySort.NEWEST_FIRST;
            case "expiresAt" -> new KeySort(KeySort.Field.EXPIRES_AT, false);
            case "-expiresAt" -> new KeySort(KeySort.Field.EXPIRES_AT, true);
            default -> {
                parameters.reject("sort", "request.query.sort");
                yield KeySort.NEWEST_FIRST;
            }
        };
    }
}
