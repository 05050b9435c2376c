package mx.prepaidkeys.acceptance;

import static mx.prepaidkeys.acceptance.Events.SAMPLE_EMAIL;
import static mx.prepaidkeys.acceptance.Events.SAMPLE_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.store.KeyTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** POST /v1/prepaid-keys/confirm: the licence is accepted, the key becomes the distributor's, one email goes out. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfirmTest {
    private final InProcessFixture fixture = new InProcessFixture();

    @Test
    void the_sample_confirm_activates_the_key_records_the_acceptance_and_sends_one_email() {
        String keyId = fixture.issue(SAMPLE_KEY, null);
        // the stack's own sample key has the same masked form: count this test's email only
        int emailsBefore = fixture.stack.emailsAbout(SAMPLE_EMAIL, "M3SQG").size();
        int mark = fixture.changes.mark();
        Instant before = Instant.now().minusMillis(1);

        var response = fixture.invokeInProcess(fixture.confirm, Events.load("confirm-ok.json"));

        assertEquals(200, response.status(), response.raw());
        JsonNode body = response.body();
        assertEquals(keyId, body.path("keyId").asText());
        assertEquals("*****-*****-*****-*****-M3SQG", body.path("maskedKey").asText());
        assertEquals("AVAILABLE", body.path("status").asText());
        assertEquals("SAE-12M", body.path("product").path("sku").asText());
        Instant activatedAt = Instant.parse(body.path("activatedAt").asText());
        assertTrue(!activatedAt.isBefore(before) && !activatedAt.isAfter(Instant.now()));
        assertTrue(body.path("notice").asText().contains("Disponible sin asignar"), body.path("notice").asText());

        // the key item: who accepted which licence version, when, from where
        var key = fixture.key(keyId);
        assertEquals(KeyStatus.AVAILABLE, key.storedStatus());
        assertEquals(new DistributorId("dist-norte"), key.activation().distributorId());
        assertEquals("7d1f0c52-9a4e-4d8e-b7a1-2f3c4d5e6f70", key.activation().userSub().value());
        assertEquals("ana.lopez", key.activation().username(), "the actor is the username, not the address");
        assertEquals("2026.1", key.activation().licenseVersion());
        assertEquals("189.203.45.10", key.activation().sourceIp());
        assertTrue(key.activation().userAgent().startsWith("Mozilla/5.0"));
        assertEquals(activatedAt, key.activation().activatedAt());

        // one transaction wrote the key, its history entry, the email it owes and the distributor's counters
        // (created by the first activation, updated after)
        String day = activatedAt.atZone(mx.prepaidkeys.domain.Timestamps.MEXICO_CITY).toLocalDate().toString();
        List<String> writes = fixture.changes.keysAndHistorySince(mark).stream().map(w -> w.replace("INSERT COUNTS#", "MODIFY COUNTS#")).toList();
        assertTrue(fixture.changes.onlyASlotTakenAndGivenBack(mark), "the attempt's slot was given back: " + fixture.changes.since(mark));
        // (a transaction's records reach the stream in no set order)
        assertEquals(java.util.Set.of("MODIFY KEY#" + keyId + " KEY", "INSERT KEY#" + keyId + " EVENT#" + body.path("activatedAt").asText() + "#ACTIVATED",
                "INSERT KEY#" + keyId + " EMAIL#ACTIVATION", "MODIFY COUNTS#dist-norte TOTAL", "MODIFY COUNTS#dist-norte DAY#" + day),
                java.util.Set.copyOf(writes));
        assertEquals(5, writes.size());
        assertEquals("PENDING", item(keyId, "EMAIL#ACTIVATION").get("state").s(), "owed: the notifier sends it");

        // the notifier, from the table's stream, claims the email, sends it, marks it sent
        int beforeDelivery = fixture.changes.mark();
        fixture.deliverEmails();
        assertEquals(List.of("MODIFY KEY#" + keyId + " EMAIL#ACTIVATION", "MODIFY KEY#" + keyId + " EMAIL#ACTIVATION"),
                fixture.changes.since(beforeDelivery));
        assertEquals("SENT", item(keyId, "EMAIL#ACTIVATION").get("state").s());
        List<JsonNode> emails = fixture.stack.emailsAbout(SAMPLE_EMAIL, "M3SQG");
        assertEquals(1, emails.size() - emailsBefore);
        JsonNode email = emails.getLast();
        assertEquals(TestStack.SENDER, email.path("from").asText());
        String all = email.toString();
        assertTrue(all.contains("*****-*****-*****-*****-M3SQG"), all);
        assertTrue(all.contains("Aspel SAE 9.0"));
        assertTrue(all.contains("Ana López"));
        assertTrue(all.contains("hora del centro de México"), all);
        assertTrue(all.contains(TestStack.DESK_URL));
        assertFalse(all.contains(SAMPLE_KEY.replace("-", "").substring(0, 10)), "no plain key in the email");
        assertFalse(all.contains(SAMPLE_KEY.substring(0, 11)), "no plain key in the email");
        assertTrue(email.path("subject").asText().startsWith("Clave de prepago confirmada"));
        assertFalse(email.path("body").path("html").asText("").isEmpty());
        assertFalse(email.path("body").path("text").asText("").isEmpty());

        // the same request again (a retry, a double click): same body, no second email, no write
        int again = fixture.changes.mark();
        var repeat = fixture.invokeInProcess(fixture.confirm, Events.load("confirm-ok.json"));
        assertEquals(200, repeat.status());
        assertEquals(response.body(), repeat.body());
        assertEquals(List.of(), fixture.changes.keysAndHistorySince(again));
        assertTrue(fixture.changes.onlyASlotTakenAndGivenBack(again), "a repeat is no failed attempt: " + fixture.changes.since(again));
        fixture.deliverEmails();
        assertEquals(1, fixture.stack.emailsAbout(SAMPLE_EMAIL, "M3SQG").size() - emailsBefore);
    }

    @Test
    void without_ticking_the_licence_nothing_happens() {
        String key = fixture.mint();
        int mark = fixture.changes.mark();
        var event = Events.as(Events.load("confirm-without-license.json"), "dist-norte", "sin-licencia@norte.example", "es-MX");
        event.setBody("{\"key\":\"" + key + "\",\"acceptLicense\":false,\"licenseVersion\":\"2026.1\"}");

        var response = fixture.invokeInProcess(fixture.confirm, event);

        assertEquals(400, response.status());
        assertEquals("LICENSE_NOT_ACCEPTED", response.code());
        assertEquals(List.of(), fixture.changes.since(mark));
        assertEquals(0, fixture.stack.emailsAbout("sin-licencia@norte.example", masked(key)).size());
    }

    @Test
    void an_outdated_licence_version_is_refused_with_the_current_one() {
        String key = fixture.mint();
        int mark = fixture.changes.mark();
        var response = fixture.invokeInProcess(fixture.confirm,
                Events.withBody(Events.load("confirm-ok.json"), "{\"key\":\"" + key + "\",\"acceptLicense\":true,\"licenseVersion\":\"2025.4\"}"));
        assertEquals(409, response.status());
        assertEquals("LICENSE_VERSION_OUTDATED", response.code());
        assertEquals("2026.1", response.body().path("currentLicenseVersion").asText());
        assertTrue(response.body().path("detail").asText().contains("2026.1"));
        assertEquals(List.of(), fixture.changes.keysAndHistorySince(mark));
        assertTrue(fixture.changes.onlyASlotTakenAndGivenBack(mark), "no failed attempt: " + fixture.changes.since(mark));
    }

    @Test
    void another_distributor_confirming_an_activated_key_gets_the_same_answer_as_for_an_unknown_key() {
        String key = fixture.mint();
        String body = "{\"key\":\"%s\",\"acceptLicense\":true,\"licenseVersion\":\"2026.1\"}";
        assertEquals(200, fixture.invokeInProcess(fixture.confirm, Events.withBody(Events.load("confirm-ok.json"), body.formatted(key))).status());
        int mark = fixture.changes.mark();

        var foreign = fixture.invokeInProcess(fixture.confirm, Events.as(Events.withBody(Events.load("confirm-ok.json"), body.formatted(key)),
                "dist-sur", "beto@sur.example", "es-MX"));
        var unknown = fixture.invokeInProcess(fixture.confirm, Events.as(Events.withBody(Events.load("confirm-ok.json"),
                body.formatted(PrepaidKeyCodes.fresh())), "dist-sur", "beto@sur.example", "es-MX"));

        assertEquals(422, foreign.status());
        assertEquals("KEY_NOT_REDEEMABLE", foreign.code());
        assertEquals(unknown.withoutRequestId(), foreign.withoutRequestId());
        assertEquals(List.of(), fixture.changes.keysAndHistorySince(mark));
        assertEquals(4, fixture.changes.attemptsSince(mark).size(), "both guesses count, for the user and the distributor");
        assertEquals(0, fixture.stack.emailsAbout("beto@sur.example", masked(key)).size());
    }

    @Test
    void an_expired_key_cannot_be_confirmed() {
        String key = PrepaidKeyCodes.fresh();
        fixture.issue(key, Instant.now().minusSeconds(60));
        int mark = fixture.changes.mark();
        var response = fixture.invokeInProcess(fixture.confirm,
                Events.withBody(Events.load("confirm-ok.json"), "{\"key\":\"" + key + "\",\"acceptLicense\":true,\"licenseVersion\":\"2026.1\"}"));
        assertEquals(422, response.status());
        assertEquals("KEY_NOT_REDEEMABLE", response.code());
        assertEquals(List.of(), fixture.changes.keysAndHistorySince(mark));
    }

    @Test
    void a_user_whose_locale_is_english_gets_the_email_in_english() {
        String key = fixture.mint();
        var event = Events.as(Events.withBody(Events.load("confirm-ok.json"),
                "{\"key\":\"" + key + "\",\"acceptLicense\":true,\"licenseVersion\":\"2026.1\"}"), "dist-norte", "dave@norte.example", "en");
        event.getHeaders().put("accept-language", "en");
        var response = fixture.invokeInProcess(fixture.confirm, event);
        assertEquals(200, response.status());
        fixture.deliverEmails();
        assertTrue(response.body().path("notice").asText().contains("Available, unassigned"));
        JsonNode email = fixture.stack.emailsAbout("dave@norte.example", masked(key)).getFirst();
        assertTrue(email.path("subject").asText().startsWith("Prepaid key confirmed"), email.toString());
        assertTrue(email.toString().contains("Mexico City time"), email.toString());
    }

    @Test
    void with_ses_down_the_activation_stands_and_its_email_goes_out_once_ses_is_back() {
        String key = fixture.mint();
        var ses = fixture.stack.emulators.ses();
        ses.stop();
        String keyId;
        try {
            var response = fixture.invokeInProcess(fixture.confirm, Events.as(Events.withBody(Events.load("confirm-ok.json"),
                    "{\"key\":\"" + key + "\",\"acceptLicense\":true,\"licenseVersion\":\"2026.1\"}"), "dist-norte", "eva@norte.example", null));
            assertEquals(200, response.status(), response.raw());
            keyId = response.body().path("keyId").asText();
            assertEquals(KeyStatus.AVAILABLE, fixture.key(keyId).storedStatus());
            fixture.deliverEmails();
            Map<String, AttributeValue> owed = item(keyId, "EMAIL#ACTIVATION");
            assertEquals("PENDING", owed.get("state").s(), "given back after the failed attempt");
            assertEquals("1", owed.get("attempts").n());
            assertEquals("eva@norte.example", owed.get("to").s());
        } finally {
            ses.start(Duration.ofSeconds(30));
        }
        fixture.deliverEmails();
        assertEquals("SENT", item(keyId, "EMAIL#ACTIVATION").get("state").s());
        assertEquals(1, fixture.stack.emailsAbout("eva@norte.example", masked(key)).size());
        fixture.deliverEmails();
        assertEquals(1, fixture.stack.emailsAbout("eva@norte.example", masked(key)).size(), "sent once, however often the stream is read");
    }

    private static String masked(String key) {
        return key.substring(key.length() - 5);
    }

    private Map<String, AttributeValue> item(String keyId, String sk) {
        var item = fixture.stack.dynamo.getItem(r -> r.tableName(fixture.table).consistentRead(true)
                .key(Map.of(KeyTable.PK, AttributeValue.fromS("KEY#" + keyId), KeyTable.SK, AttributeValue.fromS(sk)))).item();
        assertNotNull(item);
        return item;
    }
}
