package mx.prepaidkeys.edge;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: a status, a payload (a {@code @Serdeable} object written as JSON, or
 * text with its content type) and extra headers. The edge adds the common headers.
 */
public record ApiResponse(int status, Object payload, String contentType, Map<String, String> headers) {
    public static final String JSON = "application/json; charset=utf-8";
    public static final String PROBLEM_JSON = "application/problem+json; charset=utf-8";

    public static ApiResponse ok(Object payload) {
        return new ApiResponse(200, payload, JSON, Map.of());
    }

    public static ApiResponse status(int status, Object payload) {
        return new ApiResponse(status, payload, JSON, Map.of());
    }

    /** A problem naming the offending field (payload as built by {@link Problems}). */
    @SuppressWarnings("unchecked")
    ApiResponse withField(String field) {
        Map<String, Object> body = new LinkedHashMap<>((Map<String, Object>) payload);
        body.put("field", field);
        return new ApiResponse(status, body, contentType, headers);
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, payload, contentType, Map.copyOf(more));
    }
}
