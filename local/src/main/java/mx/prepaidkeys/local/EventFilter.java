package mx.prepaidkeys.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code FilterCriteria} of an event source mapping, as Lambda applies them to each record
 * before the function sees it: a record passes when any pattern matches. The part of the pattern
 * syntax this template uses is supported (nested objects, lists of exact values); anything else
 * is refused when the stack starts, rather than silently passing records AWS would drop.
 */
final class EventFilter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<JsonNode> patterns;

    private EventFilter(List<JsonNode> patterns) {
        this.patterns = patterns;
    }

    static EventFilter of(List<String> patterns) {
        List<JsonNode> parsed = new ArrayList<>();
        for (String pattern : patterns) {
            try {
                JsonNode node = JSON.readTree(pattern);
                check(node, pattern);
                parsed.add(node);
            } catch (IOException e) {
                throw new IllegalArgumentException("filter pattern is not JSON: " + pattern, e);
            }
        }
        return new EventFilter(parsed);
    }

    private static void check(JsonNode pattern, String whole) {
        if (pattern.isObject()) {
            pattern.fields().forEachRemaining(field -> check(field.getValue(), whole));
        } else if (pattern.isArray()) {
            for (JsonNode value : pattern) {
                if (!value.isValueNode()) {
                    throw new IllegalArgumentException("the local stream poller matches exact values only, not " + value + " in " + whole);
                }
            }
        } else {
            throw new IllegalArgumentException("a filter pattern's leaves are lists of values, not " + pattern + " in " + whole);
        }
    }

    boolean matches(JsonNode record) {
        if (patterns.isEmpty()) return true;
        for (JsonNode pattern : patterns) {
            if (matches(pattern, record)) return true;
        }
        return false;
    }

    private static boolean matches(JsonNode pattern, JsonNode value) {
        if (pattern.isArray()) {
            if (value == null || !value.isValueNode()) return false;
            for (JsonNode allowed : pattern) {
                if (allowed.isTextual() ? allowed.asText().equals(value.asText()) && value.isTextual() : allowed.equals(value)) return true;
            }
            return false;
        }
        if (value == null || !value.isObject()) return false;
        var fields = pattern.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (!matches(field.getValue(), value.get(field.getKey()))) return false;
        }
        return true;
    }
}
