package mx.prepaidkeys.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import mx.prepaidkeys.local.DemoData;
import mx.prepaidkeys.local.LocalCognito;
import mx.prepaidkeys.local.StackFile;

/** A frontend's view of the local stack: sign in through Cognito, then call the API with the ID token. */
final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StackFile stack;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String token;

    private ApiClient(StackFile stack, String token) {
        this.stack = stack;
        this.token = token;
    }

    static ApiClient signIn(StackFile stack, String username) {
        try (LocalCognito cognito = new LocalCognito(URI.create(stack.cognito().endpoint()))) {
            return new ApiClient(stack, cognito.idToken(new LocalCognito.Pool(stack.cognito().userPoolId(), stack.cognito().clientId()),
                    username, DemoData.PASSWORD));
        }
    }

    String token() {
        return token;
    }

    /** What the API answered; {@code json} is null when the body is not JSON. */
    record Reply(int status, Map<String, java.util.List<String>> headers, String body, JsonNode json) {
        String code() {
            return json == null ? null : json.path("code").asText(null);
        }

        String header(String name) {
            var values = headers.get(name.toLowerCase());
            return values == null ? null : values.getFirst();
        }
    }

    Reply get(String path, String... headers) {
        return send(request(path, headers).GET());
    }

    Reply post(String path, String body, String... headers) {
        return send(request(path, headers).header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply put(String path, String body, String... headers) {
        return send(request(path, headers).header("content-type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(stack.apiUrl() + path)).header("authorization", "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) builder.header(headers[i], headers[i + 1]);
        return builder;
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
