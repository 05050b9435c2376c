package mx.prepaidkeys.local;

import mx.prepaidkeys.config.LocalLambdaContext;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API Gateway (HTTP API, payload 2.0) on this machine: the routes are read from template.yaml,
 * bearer tokens are checked as the JWT authorizer checks them (401 otherwise), and the function's
 * real handler runs in-process with the event API Gateway would build. One handler instance per
 * function, created on its first request, like a Lambda container.
 */
public final class LocalGateway implements AutoCloseable {
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    private final SecureRandom random = new SecureRandom();
    private final List<Route> routes = new ArrayList<>();
    private final Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handlers = new ConcurrentHashMap<>();
    private final JwtAuthorizer authorizer;
    private final Map<String, Object> functionProperties;
    private final HttpServer server;
    // Lambda runs concurrent requests side by side; so does this gateway (races are tested through it).
    private final ExecutorService executor = Executors.newFixedThreadPool(64);
    private volatile Path openApi;
    private volatile Path site;
    private volatile String siteConfig;
    private volatile String contentSecurityPolicy;

    /** One HTTP API route of the template and the function behind it. */
    private record Route(String method, Pattern path, List<String> parameters, String routeKey, SamTemplate.Function function) {}

    /**
     * @param functionProperties what each function gets as settings (its environment in AWS)
     */
    public LocalGateway(SamTemplate template, JwtAuthorizer authorizer, Map<String, Object> functionProperties, int port) throws IOException {
        this.authorizer = authorizer;
        this.functionProperties = Map.copyOf(functionProperties);
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
            APIGatewayV2HTTPEvent event = event(exchange, route, pathParameters, claims, body);
            APIGatewayV2HTTPResponse response;
            try {
                response = handler(route.function()).handleRequest(event,
                        new LocalLambdaContext(event.getRequestContext().getRequestId(), route.function().logicalId()));
            } catch (RuntimeException e) {
                System.err.println("local gateway: " + route.routeKey() + " failed: " + e);
                reply(exchange, 500, Map.of("content-type", "application/json"), "{\"message\":\"Internal Server Error\"}");
                return;
            }
            write(exchange, response);
        }
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

    private APIGatewayV2HTTPEvent event(HttpExchange exchange, Route route, Map<String, String> pathParameters,
                                        Map<String, String> claims, byte[] body) {
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
        byte[] id = new byte[12];
        random.nextBytes(id);
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(route.routeKey())
                .withRawPath(exchange.getRequestURI().getRawPath())
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withCookies(cookies)
                .withHeaders(headers)
                .withQueryStringParameters(query)
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("000000000000")
                        .withApiId("local")
                        .withDomainName(headers.getOrDefault("host", "127.0.0.1"))
                        .withDomainPrefix("local")
                        .withStage("$default")
                        .withRouteKey(route.routeKey())
                        .withRequestId(Base64.getEncoder().encodeToString(id))
                        .withTime(REQUEST_TIME.format(now))
                        .withTimeEpoch(now.toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(route.method())
                                .withPath(exchange.getRequestURI().getRawPath())
                                .withProtocol(exchange.getProtocol())
                                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                                .withUserAgent(headers.get("user-agent"))
                                .build())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                        .withClaims(claims)
                                        .withScopes(null)
                                        .build())
                                .build())
                        .build())
                .build();
    }

    @SuppressWarnings("unchecked")
    private RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler(SamTemplate.Function function) {
        return handlers.computeIfAbsent(function.logicalId(), id -> {
            try {
                ApplicationContextBuilder context = ApplicationContext.builder().properties(functionProperties);
                return (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) Class.forName(function.handlerClass())
                        .getConstructor(ApplicationContextBuilder.class).newInstance(context);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot start " + function.logicalId() + " (" + function.handler() + ")", e);
            }
        });
    }

    private static void write(HttpExchange exchange, APIGatewayV2HTTPResponse response) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        if (response.getHeaders() != null) headers.putAll(response.getHeaders());
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(cookie -> exchange.getResponseHeaders().add("set-cookie", cookie));
        }
        byte[] body = response.getBody() == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody())
                : response.getBody().getBytes(StandardCharsets.UTF_8);
        reply(exchange, response.getStatusCode(), headers, body);
    }

    private static void reply(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        reply(exchange, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.getResponseHeaders().set("apigw-requestid", exchange.getResponseHeaders().getFirst("x-request-id") == null
                ? "local" : exchange.getResponseHeaders().getFirst("x-request-id"));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        handlers.values().forEach(handler -> {
            if (handler instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // stopping anyway
                }
            }
        });
    }
}
