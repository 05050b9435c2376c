package mx.prepaidkeys.edge;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.i18n.Language;

/** An API Gateway HTTP API (payload 2.0) request as handlers need it. */
public final class ApiRequest {
    /** Bodies beyond this are refused before parsing: no request of this API needs more. */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    private final APIGatewayV2HTTPEvent event;
    private byte[] body;
    private final String requestId;
    private final Language language;
    private final Caller caller;
    private final Instant endsBy;

    /** @param endsBy when Lambda ends this invocation: now plus the context's remaining time */
    ApiRequest(APIGatewayV2HTTPEvent event, Instant endsBy) {
        this.event = event;
        this.endsBy = endsBy;
        var context = event.getRequestContext();
        String id = context == null ? null : context.getRequestId();
        this.requestId = id == null || id.isBlank() ? UUID.randomUUID().toString() : id;
        this.language = Language.negotiate(header("accept-language"));
        var authorizer = context == null ? null : context.getAuthorizer();
        var jwt = authorizer == null ? null : authorizer.getJwt();
        this.caller = Caller.fromClaims(jwt == null ? null : jwt.getClaims());
    }

    /**
     * When this invocation is cut off at the latest. Lambda gives a function its time only through
     * the context, never in its environment: budgets and leases are measured from here.
     */
    public Instant endsBy() {
        return endsBy;
    }

    public String requestId() {
        return requestId;
    }

    public Language language() {
        return language;
    }

    /** The language the request names in {@code Accept-Language}, if it names one the service speaks. */
    public java.util.Optional<Language> namedLanguage() {
        return Language.named(header("accept-language"));
    }

    public Caller caller() {
        return caller;
    }

    /** The caller as a distributor user; the edge has already refused anyone else for distributor routes. */
    public DistributorUser distributor() {
        return caller.asDistributorUser();
    }

    /** The caller as a back office user; the edge has already refused anyone else for admin routes. */
    public mx.prepaidkeys.domain.BackOfficeUser backOfficeUser() {
        return caller.asBackOfficeUser();
    }

    /** True when the caller asked for CSV ({@code Accept: text/csv}). */
    public boolean acceptsCsv() {
        String accept = header("accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv");
    }

    public String routeKey() {
        return event.getRouteKey();
    }

    /** Set while the request runs under an Idempotency-Key: the record that names it. */
    private String idempotencyRecord;

    void idempotencyRecord(String recordKey) {
        this.idempotencyRecord = recordKey;
    }

    /**
     * The request's Idempotency-Key record (route, user and key), for an operation that must be
     * retriable: its retry is named the same and can finish what the first run started.
     *
     * @throws RequestInvalid naming {@code Idempotency-Key} when the request carries none
     */
    public String requireIdempotencyRecord() {
        if (idempotencyRecord == null) throw new RequestInvalid("Idempotency-Key", "request.idempotencyKeyRequired");
        return idempotencyRecord;
    }

    /** A header by name, case-insensitively (HTTP API lowercases them, sample events may not). */
    public String header(String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) return null;
        String value = headers.get(name);
        if (value != null) return value;
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) return entry.getValue();
        }
        return null;
    }

    /** Query parameters; API Gateway joins repeated ones with commas. */
    public Map<String, String> query() {
        Map<String, String> query = event.getQueryStringParameters();
        return query == null ? Map.of() : query;
    }

    public String pathParameter(String name) {
        Map<String, String> path = event.getPathParameters();
        return path == null ? null : path.get(name);
    }

    public String sourceIp() {
        var context = event.getRequestContext();
        return context == null || context.getHttp() == null ? null : context.getHttp().getSourceIp();
    }

    public String userAgent() {
        var context = event.getRequestContext();
        String agent = context == null || context.getHttp() == null ? null : context.getHttp().getUserAgent();
        // Stored in the licence acceptance record: bounded, like every other input.
        return agent == null || agent.length() <= 512 ? agent : agent.substring(0, 512);
    }

    /** The body as a strict JSON object: size, media type and syntax are checked first. */
    public JsonBody jsonBody() {
        String contentType = header("content-type");
        if (contentType != null && !contentType.toLowerCase(Locale.ROOT).trim().startsWith("application/json")) {
            throw new UnsupportedMediaType();
        }
        return JsonBody.parse(bodyBytes());
    }

    /** The body as sent (decoded when API Gateway base64-encoded it), refused beyond {@link #MAX_BODY_BYTES}. */
    public byte[] bodyBytes() {
        if (body == null) body = decodeBody();
        return body;
    }

    /**
     * What makes two requests the same request for {@code Idempotency-Key}: method, path, query and
     * body bytes, hashed.
     */
    public String fingerprint() {
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256");
            var http = event.getRequestContext() == null ? null : event.getRequestContext().getHttp();
            String line = (http == null ? "" : http.getMethod()) + "\n" + event.getRawPath() + "\n"
                    + (event.getRawQueryString() == null ? "" : event.getRawQueryString()) + "\n";
            digest.update(line.getBytes(StandardCharsets.UTF_8));
            digest.update(bodyBytes());
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] decodeBody() {
        String body = event.getBody();
        if (body == null) return new byte[0];
        byte[] bytes;
        if (event.getIsBase64Encoded()) {
            if (body.length() > (MAX_BODY_BYTES / 3 + 1) * 4) throw tooLarge();
            try {
                bytes = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new RequestInvalid("body", "request.malformedJson");
            }
        } else {
            if (body.length() > MAX_BODY_BYTES) throw tooLarge();
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > MAX_BODY_BYTES) throw tooLarge();
        return bytes;
    }

    private static RequestInvalid tooLarge() {
        return new RequestInvalid("body", "request.tooLarge", MAX_BODY_BYTES);
    }

    /** A body in another format than JSON: 415. */
    static final class UnsupportedMediaType extends RuntimeException {
        UnsupportedMediaType() {
            super("unsupported media type", null, false, false);
        }
    }
}
