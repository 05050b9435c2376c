package mx.prepaidkeys.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.local.DemoData;
import mx.prepaidkeys.local.LocalCognito;
import mx.prepaidkeys.local.StackFile;

/**
 * A frontend's view of the local stack: sign in through Cognito, then call the API with the ID
 * token. Every exchange is checked against docs/openapi.yaml ({@link OpenApiContract}).
 */
final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final StackFile stack;
    private final String token;

    ApiClient(StackFile stack, String token) {
        this.stack = stack;
        this.token = token;
    }

    static ApiClient signIn(StackFile stack, String username) {
        return signIn(stack, username, DemoData.PASSWORD);
    }

    static ApiClient signIn(StackFile stack, String username, String password) {
        try (LocalCognito cognito = new LocalCognito(URI.create(stack.cognito().endpoint()))) {
            return new ApiClient(stack, cognito.idToken(new LocalCognito.Pool(stack.cognito().userPoolId(), stack.cognito().clientId()),
                    username, password));
        }
    }

    String token() {
        return token;
    }

    /** What the API answered; {@code json} is null when the body is not JSON. */
    record Reply(int status, Map<String, List<String>> headers, String body, JsonNode json) {
        String code() {
            return json == null ? null : json.path("code").asText(null);
        }

        String header(String name) {
            var values = headers.get(name.toLowerCase());
            return values == null ? null : values.getFirst();
        }

        /**
         * The body without {@code requestId} (the request's) and {@code attemptsLeft} (the caller's count of failures):
         * what two answers must share to be "the same answer" about a key.
         */
        JsonNode comparable() {
            if (json == null || !json.isObject()) return json;
            var copy = json.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove(java.util.List.of("requestId", "attemptsLeft"));
            return copy;
        }
    }

    Reply get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    Reply post(String path, String body, String... headers) {
        return send("POST", path, body, headers);
    }

    Reply put(String path, String body, String... headers) {
        return send("PUT", path, body, headers);
    }

    /**
     * Any request: {@code body} null sends none; a JSON content type is added unless the headers
     * name one. Header pairs may repeat a name.
     */
    Reply send(String method, String path, String body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(stack.apiUrl() + path)).timeout(Duration.ofSeconds(60))
                .header("authorization", "Bearer " + token);
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("content-type");
        }
        if (body != null && !typed) builder.header("content-type", "application/json");
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_8)));
        Reply reply = exchange(builder.build());
        String rawPath = URI.create(stack.apiUrl() + path).getRawPath();
        try {
            OpenApiContract.get().check(method, rawPath, body, reply.status(), reply.header("content-type"), reply.body());
        } catch (AssertionError undocumented) {
            throw new AssertionError(undocumented.getMessage() + FunctionLogs.about(reply), undocumented);
        }
        return reply;
    }

    static Reply exchange(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            String type = response.headers().firstValue("content-type").orElse("");
            if (type.contains("json") && !response.body().isEmpty()) json = JSON.readTree(response.body());
            return new Reply(response.statusCode(), response.headers().map(), response.body(), json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
