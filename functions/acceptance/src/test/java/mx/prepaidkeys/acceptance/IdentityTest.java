package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import mx.prepaidkeys.local.DemoData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Who the caller is, through the local gateway with real cognito-local tokens: only ID tokens are
 * taken (API Gateway's JWT authorizer lets access tokens through, so the functions refuse them),
 * the confirmation email goes only to an address the token says is verified, and the history
 * names users by {@code sub} and username, never by the address they could change.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityTest {
    private final TestStack stack = TestStack.get();
    private final ApiClient admin = stack.newUser(null);

    @Test
    void an_access_token_is_refused_with_401_on_distributor_and_admin_routes() {
        String distributor = "dist-i-" + UUID.randomUUID().toString().substring(0, 6);
        ApiClient user = stack.newUser(distributor);
        String username = TestStack.claimOf(user, "cognito:username");
        String adminUsername = TestStack.claimOf(admin, "cognito:username");
        ApiClient userWithAccessToken;
        ApiClient adminWithAccessToken;
        try (var cognito = stack.cognito()) {
            userWithAccessToken = new ApiClient(stack.local.info(), cognito.accessToken(stack.pool(), username, DemoData.PASSWORD));
            adminWithAccessToken = new ApiClient(stack.local.info(), cognito.accessToken(stack.pool(), adminUsername, DemoData.PASSWORD));
        }
        for (var refused : List.of(
                adminWithAccessToken.get("/v1/admin/products"),
                adminWithAccessToken.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":1}", "idempotency-key", java.util.UUID.randomUUID().toString()),
                userWithAccessToken.get("/v1/prepaid-keys"),
                userWithAccessToken.post("/v1/prepaid-keys/capture", GuessingTest.body("capture", PrepaidKeyCodes.fresh())))) {
            assertEquals(401, refused.status(), refused.body());
            assertTrue(String.valueOf(refused.header("content-type")).startsWith("application/problem+json"), refused.body());
            assertEquals("ID_TOKEN_REQUIRED", refused.code());
            assertNotNull(refused.header("www-authenticate"));
        }
        assertEquals(200, admin.get("/v1/admin/products").status(), "the same admin's ID token is taken");
        assertEquals(200, user.get("/v1/prepaid-keys").status(), "and the same user's");
    }

    @Test
    void a_confirmation_for_an_unverified_address_is_held_and_the_history_says_why() {
        String distributor = "dist-u-" + UUID.randomUUID().toString().substring(0, 6);
        ApiClient unverified = stack.newUser(distributor, false);
        assertEquals("false", TestStack.claimOf(unverified, "email_verified"));
        String address = TestStack.emailOf(unverified);
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":1}", "idempotency-key", java.util.UUID.randomUUID().toString());
        String key = minted.json().path("keys").get(0).path("key").asText();
        String keyId = minted.json().path("keys").get(0).path("keyId").asText();

        var confirmed = unverified.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", key));
        assertEquals(200, confirmed.status(), confirmed.body());
        assertEquals("HELD", confirmed.json().path("confirmationEmail").asText(), confirmed.body());
        assertTrue(confirmed.json().path("notice").asText().contains("verific"), "the notice asks to verify: " + confirmed.body());

        JsonNode history = settledHistory(unverified, keyId);
        assertEquals("HELD", history.path("confirmationEmail").asText(), history.toString());
        JsonNode held = null;
        for (JsonNode event : history.path("history")) if (event.path("type").asText().equals("EMAIL_HELD")) held = event;
        assertNotNull(held, "the history says the email was held: " + history);
        assertEquals("EMAIL_NOT_VERIFIED", held.path("details").path("reason").asText());
        assertEquals(List.of(), stack.emailsAbout(address, GatewayRaceTest.masked(key)), "nothing went to the unverified address");

        // once the user verified the address, the back office releases the email
        try (var cognito = stack.cognito()) {
            cognito.verifyEmail(stack.pool(), TestStack.claimOf(unverified, "cognito:username"));
        }
        var notYet = admin.post("/v1/admin/prepaid-keys/" + keyId + "/resend-email", "{}");
        assertEquals(409, notYet.status(), "a held email is released on purpose only: " + notYet.body());
        assertEquals("EMAIL_HELD", notYet.code());
        var released = admin.post("/v1/admin/prepaid-keys/" + keyId + "/resend-email", "{\"addressVerified\":true}");
        assertEquals(202, released.status(), released.body());
        assertEquals(1, stack.awaitEmails(address, GatewayRaceTest.masked(key), 1).size(), "sent once released");
    }

    @Test
    void the_history_names_users_by_sub_and_username_not_by_email() {
        String distributor = "dist-n-" + UUID.randomUUID().toString().substring(0, 6);
        ApiClient user = stack.newUser(distributor);
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":1}", "idempotency-key", java.util.UUID.randomUUID().toString());
        assertEquals(TestStack.claimOf(admin, "cognito:username"), minted.json().path("createdBy").asText(), "the admin by username");
        String key = minted.json().path("keys").get(0).path("key").asText();
        String keyId = minted.json().path("keys").get(0).path("keyId").asText();
        assertEquals(200, user.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", key)).status());
        var assigned = user.post("/v1/prepaid-keys/" + keyId + "/assign", "{\"client\":{\"rfc\":\"XAXX010101000\",\"name\":\"Mostrador\"}}");
        assertEquals(200, assigned.status(), assigned.body());
        String username = TestStack.claimOf(user, "cognito:username");
        assertEquals(username, assigned.json().path("activatedBy").asText());
        assertEquals(username, assigned.json().path("assignedBy").asText());

        JsonNode history = user.get("/v1/prepaid-keys/" + keyId).json();
        for (JsonNode event : history.path("history")) {
            if (event.path("type").asText().equals("ISSUED")) continue;
            assertEquals("USER", event.path("by").path("type").asText(), event.toString());
            assertEquals(username, event.path("by").path("username").asText(), event.toString());
            assertEquals(TestStack.claimOf(user, "sub"), event.path("by").path("sub").asText(), event.toString());
        }
        assertFalse(history.toString().contains(TestStack.emailOf(user)), "no email in the history: " + history);
    }

    /** The key's history once its email is no longer on its way (PENDING or SENDING), polled with a deadline. */
    private JsonNode settledHistory(ApiClient user, String keyId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode history;
        do {
            var reply = user.get("/v1/prepaid-keys/" + keyId);
            assertEquals(200, reply.status(), reply.body());
            history = reply.json();
            String state = history.path("confirmationEmail").asText();
            if (!state.equals("PENDING") && !state.equals("SENDING")) return history;
            TestStack.pause(50);
        } while (System.nanoTime() < deadline);
        return history;
    }
}
