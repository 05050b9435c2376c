package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import mx.prepaidkeys.local.DemoData;
import mx.prepaidkeys.local.Emulators;
import mx.prepaidkeys.local.LocalCognito;
import mx.prepaidkeys.local.StackFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The local stack end to end, as a frontend uses it: sign in through cognito-local with
 * USER_PASSWORD_AUTH, then capture, confirm and list through the gateway, and find the email in the
 * inbox. The gateway refuses what API Gateway's JWT authorizer refuses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalStackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestStack stack = TestStack.get();
    private final StackFile info = stack.local.info();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void stack_json_tells_tools_where_everything_is() throws Exception {
        JsonNode file = JSON.readTree(Emulators.repositoryRoot().resolve("functions/acceptance/target/local-stack/stack.json").toFile());
        for (String field : List.of("apiUrl", "region", "cognito", "ses", "dynamodb", "users", "demoKeys")) {
            assertTrue(file.has(field), "stack.json has " + field);
        }
        for (String field : List.of("endpoint", "userPoolId", "clientId", "issuer", "jwksUrl")) assertTrue(file.path("cognito").has(field), field);
        for (String field : List.of("endpoint", "inboxUrl")) assertTrue(file.path("ses").has(field), field);
        for (String field : List.of("endpoint", "tableName")) assertTrue(file.path("dynamodb").has(field), field);
        for (String field : List.of("username", "password", "email", "groups", "distributorId")) {
            assertTrue(file.path("users").get(0).has(field), "users[]." + field);
        }
        for (String field : List.of("key", "productSku", "status")) assertTrue(file.path("demoKeys").get(0).has(field), "demoKeys[]." + field);
        assertEquals(Set.of("ana.lopez", "carlos.mendez", "beatriz.soto", "admin"),
                Set.copyOf(file.path("users").findValuesAsText("username")));
        assertTrue(file.path("demoKeys").findValuesAsText("status").containsAll(List.of("ISSUED", "AVAILABLE", "EXPIRED")));
    }

    @Test
    void a_distributor_signs_in_captures_confirms_lists_and_gets_the_email() throws Exception {
        String token = signIn("ana.lopez");
        String key = info.demoKeys().stream().filter(k -> k.status().equals("ISSUED") && !k.key().equals(DemoData.SAMPLE_KEY))
                .filter(k -> k.productSku().equals("COI-12M")).map(DemoData.DemoKey::key).findFirst().orElseThrow();

        var capture = post("/v1/prepaid-keys/capture", token, "{\"key\":\"" + key.toLowerCase() + "\"}");
        assertEquals(200, capture.statusCode(), capture.body());
        JsonNode captured = JSON.readTree(capture.body());
        assertEquals("COI-12M", captured.path("product").path("sku").asText());
        String version = captured.path("license").path("version").asText();
        assertFalse(captured.path("license").path("text").asText().isEmpty());

        var confirm = post("/v1/prepaid-keys/confirm", token, "{\"key\":\"" + key + "\",\"acceptLicense\":true,\"licenseVersion\":\"" + version + "\"}");
        assertEquals(200, confirm.statusCode(), confirm.body());
        JsonNode confirmed = JSON.readTree(confirm.body());
        assertEquals("AVAILABLE", confirmed.path("status").asText());
        assertNotNull(confirm.headers().firstValue("x-request-id").orElse(null));

        var list = get("/v1/prepaid-keys?status=AVAILABLE&limit=100", token);
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(JSON.readTree(list.body()).path("items").findValuesAsText("keyId").contains(confirmed.path("keyId").asText()));

        String masked = key.substring(key.length() - 5);
        var emails = stack.awaitEmails("ana.lopez@distribuidora-norte.example", masked, 1);
        assertEquals(1, emails.size());
        assertFalse(emails.getFirst().toString().contains(key), "no plain key in the email");
    }

    @Test
    void requests_without_a_valid_token_for_this_pool_and_client_get_401() throws Exception {
        var anonymous = checked(http.send(HttpRequest.newBuilder(api("/v1/prepaid-keys")).GET().build(), HttpResponse.BodyHandlers.ofString()), null);
        assertEquals(401, anonymous.statusCode());
        assertEquals("{\"message\":\"Unauthorized\"}", anonymous.body());

        assertEquals(401, get("/v1/prepaid-keys", "not-a-jwt").statusCode());
        assertEquals(200, get("/v1/prepaid-keys", resigned("ana.lopez", 0)).statusCode(), "a re-signed token is accepted...");
        assertEquals(401, get("/v1/prepaid-keys", resigned("ana.lopez", 3600)).statusCode(), "...until it has expired");

        String valid = signIn("ana.lopez");
        String tampered = valid.substring(0, valid.lastIndexOf('.') + 1) + "AAAA" + valid.substring(valid.lastIndexOf('.') + 5);
        assertEquals(401, get("/v1/prepaid-keys", tampered).statusCode());

        try (LocalCognito cognito = new LocalCognito(URI.create(info.cognito().endpoint()))) {
            LocalCognito.Pool other = cognito.ensurePool("another-pool", null);
            cognito.ensureUser(other, DemoData.user("ana.lopez"));
            String foreign = cognito.idToken(other, "ana.lopez", DemoData.PASSWORD);
            var response = get("/v1/prepaid-keys", foreign);
            assertEquals(401, response.statusCode(), "a token from another pool");
        }
        assertEquals(200, get("/v1/prepaid-keys", valid).statusCode(), "and the real token still works");
    }

    @Test
    void the_desk_is_served_with_the_template_s_content_security_policy() throws Exception {
        var page = http.send(HttpRequest.newBuilder(api("/")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        String csp = page.headers().firstValue("content-security-policy").orElse("");
        assertTrue(csp.contains("form-action 'self'"), "forms post only to the desk itself: " + csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    }

    @Test
    void routes_come_from_the_template_and_anything_else_is_404() throws Exception {
        String token = signIn("beatriz.soto");
        assertEquals(404, get("/v1/nothing-here", token).statusCode());
        assertEquals(404, post("/v1/prepaid-keys", token, "{}").statusCode(), "GET only");
        var admin = get("/v1/prepaid-keys", signIn("admin"));
        assertEquals(403, admin.statusCode(), "an admin is not a distributor");
    }

    private String signIn(String username) {
        try (LocalCognito cognito = new LocalCognito(URI.create(info.cognito().endpoint()))) {
            return cognito.idToken(new LocalCognito.Pool(info.cognito().userPoolId(), info.cognito().clientId()), username, DemoData.PASSWORD);
        }
    }

    /**
     * A token exactly like cognito-local's, signed with its key, issued {@code secondsAgo} ago and
     * valid for 50 minutes: with 3600 it expired ten minutes ago.
     */
    private String resigned(String username, long secondsAgo) throws Exception {
        JsonNode keyFile = JSON.readTree(Files.readString(Emulators.repositoryRoot().resolve("node_modules/cognito-local/lib/keys/cognitoLocal.private.json")));
        RSAKey key = RSAKey.parse(keyFile.path("jwk").toString());
        SignedJWT valid = SignedJWT.parse(signIn(username));
        Instant past = Instant.now().minusSeconds(secondsAgo);
        JWTClaimsSet claims = new JWTClaimsSet.Builder(valid.getJWTClaimsSet())
                .issueTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(3000))).build();
        SignedJWT expired = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("CognitoLocal").type(JOSEObjectType.JWT).build(), claims);
        expired.sign(new RSASSASigner(key));
        return expired.serialize();
    }

    private URI api(String path) {
        return URI.create(info.apiUrl() + path);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return checked(http.send(HttpRequest.newBuilder(api(path)).header("authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString()), null);
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        return checked(http.send(HttpRequest.newBuilder(api(path)).header("authorization", "Bearer " + token)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()), body);
    }

    /** Every exchange of this test is held to docs/openapi.yaml too. */
    private static HttpResponse<String> checked(HttpResponse<String> response, String requestBody) {
        OpenApiContract.get().check(response.request().method(), response.request().uri().getRawPath(), requestBody,
                response.statusCode(), response.headers().firstValue("content-type").orElse(null), response.body());
        return response;
    }
}
