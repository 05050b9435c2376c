package mx.prepaidkeys.acceptance;

import static mx.prepaidkeys.acceptance.Events.SAMPLE_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** POST /v1/prepaid-keys/capture: what the confirm window shows, and nothing changes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaptureTest {
    private final InProcessFixture fixture = new InProcessFixture();
    private final Instant expiry = Instant.now().plus(400, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);

    @BeforeAll
    void issueTheSampleKey() {
        fixture.issue(SAMPLE_KEY, expiry);
    }

    @Test
    void the_sample_event_shows_the_masked_key_its_product_licence_and_expiry() {
        int mark = fixture.changes.mark();
        var response = fixture.invokeInProcess(fixture.capture, Events.load("capture-ok.json"));

        assertEquals(200, response.status(), response.raw());
        assertEquals("*****-*****-*****-*****-M3SQG", response.body().path("maskedKey").asText());
        assertEquals("SAE-12M", response.body().path("product").path("sku").asText());
        assertEquals("Aspel SAE 9.0", response.body().path("product").path("name").asText());
        assertEquals(12, response.body().path("product").path("termMonths").asInt());
        assertEquals("2026.1", response.body().path("license").path("version").asText());
        assertEquals(expiry, Instant.parse(response.body().path("expiresAt").asText()));
        assertFalse(response.raw().contains(SAMPLE_KEY.substring(0, 5)), "the answer never repeats the whole key");
        assertEquals("Jx2bLgYxoAMEVbQ=", response.headers().get("x-request-id"));
        assertEquals("no-store", response.headers().get("cache-control"));
        assertEquals(java.util.List.of(), fixture.changes.keysAndHistorySince(mark), "capture changes nothing");
        assertTrue(fixture.changes.onlyASlotTakenAndGivenBack(mark), "its attempt slot was given back: " + fixture.changes.since(mark));
    }

    @Test
    void a_key_typed_in_lowercase_with_spaces_and_look_alikes_is_found() {
        var response = fixture.invokeInProcess(fixture.capture, Events.load("capture-lowercase.json"));
        assertEquals(200, response.status(), response.raw());
        assertEquals("*****-*****-*****-*****-M3SQG", response.body().path("maskedKey").asText());
    }

    @Test
    void a_typo_is_caught_by_the_check_character_before_any_look_up() {
        var response = fixture.invokeInProcess(fixture.capture, Events.load("capture-typo.json"));
        assertEquals(400, response.status());
        assertEquals("application/problem+json; charset=utf-8", response.headers().get("content-type"));
        assertEquals("KEY_FORMAT_INVALID", response.code());
        assertEquals("La clave no tiene un formato válido", response.body().path("title").asText());
        assertEquals(400, response.body().path("status").asInt());
        assertEquals("/problems/key-format-invalid", response.body().path("type").asText());
        assertEquals("Jx2bLgYxoAMEVbQ=", response.body().path("requestId").asText());
    }

    @Test
    void unknown_keys_and_keys_of_other_distributors_get_one_identical_answer() {
        String foreign = fixture.mint();
        var activate = Events.as(Events.withBody(Events.load("confirm-ok.json"),
                "{\"key\":\"" + foreign + "\",\"acceptLicense\":true,\"licenseVersion\":\"2026.1\"}"), "dist-sur", "beto@sur.example", null);
        assertEquals(200, fixture.invokeInProcess(fixture.confirm, activate).status());

        var foreignCapture = fixture.invokeInProcess(fixture.capture, Events.withBody(Events.load("capture-ok.json"), "{\"key\":\"" + foreign + "\"}"));
        String unknown = PrepaidKeyCodes.fresh();
        var unknownCapture = fixture.invokeInProcess(fixture.capture, Events.withBody(Events.load("capture-ok.json"), "{\"key\":\"" + unknown + "\"}"));

        assertEquals(422, foreignCapture.status());
        assertEquals("KEY_NOT_REDEEMABLE", foreignCapture.code());
        assertEquals(unknownCapture.withoutRequestId(), foreignCapture.withoutRequestId());
        assertEquals(unknownCapture.headers().keySet(), foreignCapture.headers().keySet());
    }

    @Test
    void a_key_the_callers_own_distributor_already_activated_says_so() {
        String key = fixture.mint();
        var confirm = Events.withBody(Events.load("confirm-ok.json"),
                "{\"key\":\"" + key + "\",\"acceptLicense\":true,\"licenseVersion\":\"2026.1\"}");
        assertEquals(200, fixture.invokeInProcess(fixture.confirm, confirm).status());
        var colleague = Events.as(Events.withBody(Events.load("capture-ok.json"), "{\"key\":\"" + key + "\"}"),
                "dist-norte", "carla@distribuidora-norte.example", "en");

        var response = fixture.invokeInProcess(fixture.capture, colleague);
        assertEquals(409, response.status());
        assertEquals("KEY_ALREADY_ACTIVATED", response.code());
        assertNotNull(response.body().path("activatedAt").asText(null));
    }

    @Test
    void an_expired_key_is_not_redeemable() {
        String key = PrepaidKeyCodes.fresh();
        fixture.issue(key, Instant.now().minusSeconds(1));
        var response = fixture.invokeInProcess(fixture.capture, Events.withBody(Events.load("capture-ok.json"), "{\"key\":\"" + key + "\"}"));
        assertEquals(422, response.status());
        assertEquals("KEY_NOT_REDEEMABLE", response.code());
    }

    @Test
    void english_is_answered_to_who_asks_for_it() {
        var event = Events.load("capture-typo.json");
        event.getHeaders().put("accept-language", "en-GB,en;q=0.9");
        var response = fixture.invokeInProcess(fixture.capture, event);
        assertEquals("The key is not well formed", response.body().path("title").asText());
        assertEquals("en", response.headers().get("content-language"));
    }

    @Test
    void callers_who_are_not_distributors_are_refused() {
        var noAccount = Events.load("capture-ok.json");
        noAccount.getRequestContext().getAuthorizer().getJwt().getClaims().remove("custom:distributor_id");
        var admin = Events.load("capture-ok.json");
        admin.getRequestContext().getAuthorizer().getJwt().getClaims().put("cognito:groups", "[admins]");
        for (var event : java.util.List.of(noAccount, admin)) {
            var response = fixture.invokeInProcess(fixture.capture, event);
            assertEquals(403, response.status());
            assertEquals("FORBIDDEN", response.code());
        }
    }

    @Test
    void anything_but_an_id_token_is_refused_with_401() {
        var anonymous = Events.load("capture-ok.json");
        anonymous.getRequestContext().setAuthorizer(null);
        var access = Events.load("capture-ok.json");
        access.getRequestContext().getAuthorizer().getJwt().getClaims().put("token_use", "access");
        var unsaid = Events.load("capture-ok.json");
        unsaid.getRequestContext().getAuthorizer().getJwt().getClaims().remove("token_use");

        for (var event : java.util.List.of(anonymous, access, unsaid)) {
            int mark = fixture.changes.mark();
            var response = fixture.invokeInProcess(fixture.capture, event);
            assertEquals(401, response.status(), response.raw());
            assertEquals("ID_TOKEN_REQUIRED", response.code());
            assertTrue(response.headers().get("www-authenticate").startsWith("Bearer error=\"invalid_token\""));
            assertTrue(response.headers().get("content-type").startsWith("application/problem+json"));
            assertEquals(java.util.List.of(), fixture.changes.since(mark), "refused before anything is read or written");
        }
    }

    @Test
    void bad_bodies_are_refused_naming_the_field_and_change_nothing() {
        int mark = fixture.changes.mark();
        String[][] cases = {
                {"{\"key\":\"" + SAMPLE_KEY + "\",\"extra\":1}", "extra"},
                {"{\"key\":42}", "key"},
                {"{}", "key"},
                {"{\"key\":", "body"},
                {"[\"" + SAMPLE_KEY + "\"]", "body"},
                {"{\"key\":\"" + "A".repeat(65) + "\"}", "key"},
                {"{\"key\":\"" + SAMPLE_KEY + "\",\"key\":\"" + SAMPLE_KEY + "\"}", "key"},
                {"{\"pad\":\"" + "x".repeat(17_000) + "\"}", "body"},
        };
        for (String[] c : cases) {
            var response = fixture.invokeInProcess(fixture.capture, Events.withBody(Events.load("capture-ok.json"), c[0]));
            assertEquals(400, response.status(), c[0]);
            assertEquals("REQUEST_INVALID", response.code(), c[0]);
            assertEquals(c[1], response.body().path("field").asText(), c[0]);
            assertTrue(response.body().path("detail").asText().contains(c[1]) || c[1].equals("body"), response.raw());
        }
        assertEquals(java.util.List.of(), fixture.changes.since(mark));
    }

    @Test
    void a_body_that_is_not_json_is_refused_as_such() {
        var event = Events.load("capture-ok.json");
        event.getHeaders().put("content-type", "application/x-www-form-urlencoded");
        var response = fixture.invokeInProcess(fixture.capture, event);
        assertEquals(415, response.status());
        assertEquals("UNSUPPORTED_MEDIA_TYPE", response.code());
    }
}
