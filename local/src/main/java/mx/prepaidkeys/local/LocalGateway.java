package mx.prepaidkeys.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mx.prepaidkeys.i18n.Language;
import mx.prepaidkeys.local.runtime.Invocation;
import mx.prepaidkeys.local.runtime.LambdaRuntime;

/**
 * API Gateway (HTTP API, payload 2.0) on this machine: the routes are read from template.yaml,
 * bearer tokens are checked as the JWT authorizer checks them (401 otherwise), and each request
 * becomes the event API Gateway would send, invoked on the function through the local Lambda
 * runtime (its built artifact, in its own process). When the function gives no answer (it failed
 * to start, threw, timed out, died, or every instance was busy), the gateway answers 502, 504 or
 * 503 problem+json with the request id; in AWS, API Gateway answers those cases with its own
 * bodies (docs/architecture.md).
 */
public final class LocalGateway implements AutoCloseable {
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final List<Route> routes = new ArrayList<>();
    private final JwtAuthorizer authorizer;
    private final LambdaRuntime lambda;
    private final HttpServer server;
    // Lambda runs concurrent requests side by side; so does this gateway (races are tested through it).
    private final ExecutorService executor = Executors.newFixedThreadPool(64);
    private volatile Path openApi;
    private volatile Path site;
    private volatile String siteConfig;
    private volatile String contentSecurityPolicy;
    private volatile Consumer<Served> console = served -> { };

    /** One HTTP API route of the template and the function behind it. */
    private record Route(String method, Pattern path, List<String> parameters, String routeKey, SamTemplate.Function function) {}

    /** A request the gateway handed to a function, and what came of it: for the console of `make run`. */
    public record Served(String routeKey, int status, Invocation invocation) {}

    public LocalGateway(SamTemplate template, JwtAuthorizer authorizer, LambdaRuntime lambda, int port) throws IOException {
        this.authorizer = authorizer;
        this.lambda = lambda;
        for (var function : template.functions()) {
            for (var route : function.routes()) {
                List<String> parameters = new ArrayList<>();
                Matcher names = Pattern.compile("\\{([^}/]+)}").matcher(route.path());
                StringBuilder regex = new StringBuilder();
                int last = 0;
                while (names.find()) {
                    regex.append(Pattern.quote(route.path().substring(last, names.start()))).append("([^/]+)");
                    parameters.add(names.group(1));
                    last = names.end();
                }
                regex.append(Pattern.quote(route.path().substring(last)));
                routes.add(new Route(route.method(), Pattern.compile(regex.toString()), parameters, route.routeKey(), function));
            }
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
    }

    /** Each request's route, status and REPORT, as it is served. */
    public LocalGateway withConsole(Consumer<Served> console) {
        this.console = console;
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Serves the API's contract at {@code GET /openapi.yaml}, without a token, for tools and the frontend team. */
    public LocalGateway withOpenApi(Path document) {
        this.openApi = document;
        return this;
    }

    /**
     * Serves the desk (web/dist, built by npm) at {@code /}, and its settings at
     * {@code /config.json}: in AWS, CloudFront serves the same files and the stack writes the
     * settings. The API stays where it is; the page calls it on the same origin.
     *
     * @param configJson what the page reads at start: API URL, Cognito endpoint and client id
     * @param cognitoOrigin the one other origin the page may call (sign-in)
     */
    public LocalGateway withSite(Path dist, String configJson, String cognitoOrigin) {
        this.site = dist;
        this.siteConfig = configJson;
        this.contentSecurityPolicy = "default-src 'self'; connect-src 'self' " + cognitoOrigin
                + "; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
        return this;
    }

    public LocalGateway start() {
        server.start();
        return this;
    }

    public List<String> routeKeys() {
        return routes.stream().map(Route::routeKey).toList();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getRawPath();
            if (openApi != null && path.equals("/openapi.yaml") && (method.equals("GET") || method.equals("HEAD"))) {
                reply(exchange, 200, new java.util.HashMap<>(Map.of("content-type", "application/yaml; charset=utf-8",
                        "cache-control", "no-cache")), method.equals("HEAD") ? new byte[0] : java.nio.file.Files.readAllBytes(openApi));
                return;
            }
            Route route = null;
            Matcher match = null;
            for (Route candidate : routes) {
                Matcher m = candidate.path().matcher(path);
                if (candidate.method().equals(method) && m.matches()) {
                    route = candidate;
                    match = m;
                    break;
                }
            }
            if (route == null) {
                if (site != null && (method.equals("GET") || method.equals("HEAD")) && !path.startsWith("/v1/") && serveSite(exchange, path)) return;
                reply(exchange, 404, Map.of("content-type", "application/json"), "{\"message\":\"Not Found\"}");
                return;
            }
            Map<String, String> claims;
            try {
                claims = authorizer.authorize(exchange.getRequestHeaders().getFirst("Authorization"));
            } catch (JwtAuthorizer.Unauthorized e) {
                reply(exchange, 401, Map.of("content-type", "application/json",
                        "www-authenticate", "Bearer error=\"invalid_token\" error_description=\"" + e.getMessage().replace('"', '\'') + "\""),
                        "{\"message\":\"Unauthorized\"}");
                return;
            }
            byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                reply(exchange, 413, Map.of("content-type", "application/json"), "{\"message\":\"Request Entity Too Large\"}");
                return;
            }
            Map<String, String> pathParameters = new LinkedHashMap<>();
            for (int i = 0; i < route.parameters().size(); i++) {
                pathParameters.put(route.parameters().get(i), URLDecoder.decode(match.group(i + 1), StandardCharsets.UTF_8));
            }
            String requestId = requestId();
            byte[] event = JSON.writeValueAsBytes(event(exchange, route, pathParameters, claims, body, requestId));
            Invocation invocation = lambda.invoke(route.function().logicalId(), event);
            int status = answer(exchange, invocation, requestId);
            console.accept(new Served(route.routeKey(), status, invocation));
        }
    }

    /** Writes the function's answer as API Gateway maps payload 2.0, or a problem when there is none; returns the status. */
    private int answer(HttpExchange exchange, Invocation invocation, String requestId) throws IOException {
        switch (invocation.outcome()) {
            case ANSWERED -> {
                JsonNode payload;
                try {
                    payload = JSON.readTree(invocation.payload());
                } catch (IOException notJson) {
                    payload = null;
                }
                if (payload != null && payload.isObject() && payload.has("statusCode")) return write(exchange, payload, requestId);
                if (payload != null) {
                    // payload 2.0: an answer without statusCode is the body of a 200
                    return reply(exchange, 200, new LinkedHashMap<>(Map.of("content-type", "application/json")), invocation.payload(), requestId);
                }
                return problem(exchange, 502, "FUNCTION_ERROR", invocation, requestId, "the function's answer is not JSON");
            }
            case FUNCTION_ERROR -> {
                return problem(exchange, 502, "FUNCTION_ERROR", invocation, requestId, "the function threw");
            }
            case INIT_ERROR -> {
                return problem(exchange, 502, "FUNCTION_ERROR", invocation, requestId, "the function failed to start");
            }
            case CRASHED -> {
                return problem(exchange, 502, "FUNCTION_ERROR", invocation, requestId, "the function's instance died");
            }
            case TIMED_OUT -> {
                return problem(exchange, 504, "FUNCTION_TIMEOUT", invocation, requestId, "the function ran past its timeout");
            }
            case THROTTLED -> {
                return problem(exchange, 503, "FUNCTION_UNAVAILABLE", invocation, requestId, "every instance the concurrency limit allows was busy");
            }
        }
        throw new IllegalStateException("unhandled outcome " + invocation.outcome());
    }

    /** The gateway's own refusals, problem+json like the functions' (texts in Spanish unless the client asks for English). */
    private int problem(HttpExchange exchange, int status, String code, Invocation invocation, String requestId, String cause)
            throws IOException {
        boolean english = Language.negotiate(exchange.getRequestHeaders().getFirst("Accept-Language")) == Language.EN;
        String[] text = switch (code) {
            case "FUNCTION_TIMEOUT" -> english
                    ? new String[] {"The request took too long", "The service did not finish in time. Try again; if it keeps happening, contact support with the request id."}
                    : new String[] {"La solicitud tardó demasiado", "El servicio no terminó a tiempo. Vuelve a intentarlo; si se repite, comunícate con soporte e indica el identificador de la solicitud."};
            case "FUNCTION_UNAVAILABLE" -> english
                    ? new String[] {"Service busy", "The service is busy. Try again in a few seconds."}
                    : new String[] {"Servicio ocupado", "El servicio está ocupado. Vuelve a intentarlo en unos segundos."};
            default -> english
                    ? new String[] {"The service failed", "The service could not answer. Try again; if it keeps happening, contact support with the request id."}
                    : new String[] {"El servicio falló", "El servicio no pudo responder. Vuelve a intentarlo; si se repite, comunícate con soporte e indica el identificador de la solicitud."};
        };
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "/problems/" + code.toLowerCase(Locale.ROOT).replace('_', '-'));
        body.put("title", text[0]);
        body.put("status", status);
        body.put("detail", text[1]);
        body.put("code", code);
        body.put("requestId", requestId);
        // The cause goes to the log (the function's own log has its error), never to the client.
        String line = "local gateway: " + invocation.function() + " gave no answer to " + requestId + " (invocation "
                + invocation.report().requestId() + "): " + cause + " (" + invocation.outcome() + ", " + firstLine(invocation.payloadText()) + ")";
        System.err.println(line + "; see .local/logs/functions/" + invocation.function() + ".log");
        lambda.note(invocation.function(), line);
        Map<String, String> headers = new LinkedHashMap<>(Map.of("content-type", "application/problem+json; charset=utf-8",
                "content-language", english ? "en" : "es-MX", "cache-control", "no-store"));
        if (status == 503) headers.put("retry-after", "1");
        return reply(exchange, status, headers, JSON.writeValueAsBytes(body), requestId);
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private String requestId() {
        byte[] id = new byte[12];
        random.nextBytes(id);
        return Base64.getEncoder().encodeToString(id);
    }

    /** A file of the desk, its settings, or its page for any other path (the app routes itself). */
    private boolean serveSite(HttpExchange exchange, String path) throws IOException {
        Map<String, String> headers = new java.util.HashMap<>(Map.of("content-security-policy", contentSecurityPolicy,
                "x-content-type-options", "nosniff", "referrer-policy", "no-referrer"));
        if (path.equals("/config.json")) {
            headers.put("content-type", "application/json");
            headers.put("cache-control", "no-store");
            reply(exchange, 200, headers, siteConfig);
            return true;
        }
        Path root = site.toAbsolutePath().normalize();
        Path file = root.resolve(path.substring(1)).normalize();
        if (!file.startsWith(root) || !java.nio.file.Files.isRegularFile(file)) file = root.resolve("index.html");
        if (!java.nio.file.Files.isRegularFile(file)) {
            headers.put("content-type", "text/plain; charset=utf-8");
            reply(exchange, 404, headers, "The desk is not built: run `make run` (it builds web/ with npm), or `npm ci && npm run build` in web/.");
            return true;
        }
        String name = file.getFileName().toString();
        headers.put("content-type", name.endsWith(".html") ? "text/html; charset=utf-8" : name.endsWith(".js") ? "text/javascript; charset=utf-8"
                : name.endsWith(".css") ? "text/css; charset=utf-8" : name.endsWith(".svg") ? "image/svg+xml" : "application/octet-stream");
        // Built assets carry a hash in their name: cache them; the page itself, never.
        headers.put("cache-control", name.endsWith(".html") ? "no-cache" : "public, max-age=31536000, immutable");
        reply(exchange, 200, headers, java.nio.file.Files.readAllBytes(file));
        return true;
    }

    /** The event API Gateway sends for a payload 2.0 integration, as JSON-ready maps. */
    private Map<String, Object> event(HttpExchange exchange, Route route, Map<String, String> pathParameters,
                                      Map<String, String> claims, byte[] body, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        List<String> cookies = headers.containsKey("cookie") ? List.of(headers.remove("cookie").split(";\\s*")) : null;
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Map<String, String> query = null;
        if (rawQuery != null && !rawQuery.isEmpty()) {
            query = new LinkedHashMap<>();
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) continue;
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                query.merge(name, value, (a, b) -> a + "," + b); // API Gateway joins repeated parameters with commas
            }
        }
        String contentType = headers.getOrDefault("content-type", "");
        boolean text = body.length == 0 || contentType.isEmpty() || contentType.startsWith("text/") || contentType.contains("json")
                || contentType.contains("xml") || contentType.contains("x-www-form-urlencoded");
        Instant now = Instant.now();
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", route.method());
        http.put("path", exchange.getRequestURI().getRawPath());
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        http.put("userAgent", headers.get("user-agent"));
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", "000000000000");
        context.put("apiId", "local");
        context.put("authorizer", Map.of("jwt", new LinkedHashMap<>(Map.of("claims", claims))));
        context.put("domainName", headers.getOrDefault("host", "127.0.0.1"));
        context.put("domainPrefix", "local");
        context.put("http", http);
        context.put("requestId", requestId);
        context.put("routeKey", route.routeKey());
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", route.routeKey());
        event.put("rawPath", exchange.getRequestURI().getRawPath());
        event.put("rawQueryString", rawQuery == null ? "" : rawQuery);
        if (cookies != null) event.put("cookies", cookies);
        event.put("headers", headers);
        if (query != null) event.put("queryStringParameters", query);
        if (!pathParameters.isEmpty()) event.put("pathParameters", pathParameters);
        event.put("requestContext", context);
        if (body.length > 0) event.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
        event.put("isBase64Encoded", body.length > 0 && !text);
        return event;
    }

    /** A payload 2.0 answer: status, headers, cookies, body (base64 when flagged). */
    private static int write(HttpExchange exchange, JsonNode response, String requestId) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        response.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        response.path("multiValueHeaders").fields().forEachRemaining(h -> {
            List<String> values = new ArrayList<>();
            h.getValue().forEach(v -> values.add(v.asText()));
            headers.put(h.getKey(), String.join(",", values));
        });
        response.path("cookies").forEach(cookie -> exchange.getResponseHeaders().add("set-cookie", cookie.asText()));
        String body = response.path("body").isNull() || response.path("body").isMissingNode() ? null : response.path("body").asText();
        byte[] bytes = body == null ? new byte[0]
                : response.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        return reply(exchange, response.path("statusCode").asInt(), headers, bytes, requestId);
    }

    private static void reply(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        reply(exchange, status, headers, body.getBytes(StandardCharsets.UTF_8), null);
    }

    private static void reply(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        reply(exchange, status, headers, body, null);
    }

    private static int reply(HttpExchange exchange, int status, Map<String, String> headers, byte[] body, String requestId) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        // API Gateway's own request id header; the functions also send it as x-request-id
        exchange.getResponseHeaders().set("apigw-requestid", requestId == null ? "local" : requestId);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        return status;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
