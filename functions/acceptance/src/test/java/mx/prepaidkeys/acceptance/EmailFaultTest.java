package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.local.DevStack;
import mx.prepaidkeys.local.StreamPoller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The confirmation email is never lost and never doubled: SES goes down in the middle of a run of
 * confirms and comes back; an email SES keeps refusing is given up on (FAILED, dead-lettered) and
 * the back office resends it; a resend sends one more, once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmailFaultTest {
    private static final int CONFIRMS = 30;
    private final TestStack stack = TestStack.get();
    private final ApiClient admin = stack.newUser(null);

    @Test
    void ses_stopped_in_the_middle_of_thirty_confirms_every_activation_gets_exactly_one_email() {
        ApiClient user = stack.newUser("dist-f-" + UUID.randomUUID().toString().substring(0, 6));
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":" + CONFIRMS + "}", "idempotency-key", java.util.UUID.randomUUID().toString());
        assertEquals(201, minted.status(), minted.body());
        Map<String, String> keys = new LinkedHashMap<>(); // keyId -> key
        minted.json().path("keys").forEach(k -> keys.put(k.path("keyId").asText(), k.path("key").asText()));
        List<String> keyIds = new ArrayList<>(keys.keySet());
        var ses = stack.emulators.ses();
        // aws-ses-v2-local forgets its store when it restarts: what it held before is counted first.
        List<JsonNode> seen = new ArrayList<>();
        int refusedWhileDown = 0;
        try {
            for (int i = 0; i < CONFIRMS; i++) {
                if (i == 10) {
                    stack.awaitEmailsSettled(keyIds.subList(0, 10), Duration.ofSeconds(30));
                    seen.addAll(stack.emails());
                    ses.stop();
                }
                if (i == 20) {
                    stack.awaitEmailAttempts(keyIds.subList(10, 20), 2, Duration.ofSeconds(30)); // each owed email failed, and was tried again
                    ses.start(Duration.ofSeconds(30));
                }
                var confirmed = user.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", keys.get(keyIds.get(i))));
                assertEquals(200, confirmed.status(), "confirm " + i + " stands whatever SES does: " + confirmed.body());
            }
        } finally {
            if (!ses.isRunning()) ses.start(Duration.ofSeconds(30));
        }
        stack.awaitEmailsSettled(keyIds, Duration.ofSeconds(60));
        seen.addAll(stack.emails());

        int sent = 0;
        int retried = 0;
        for (String keyId : keyIds) {
            var owed = emailItem(keyId);
            assertEquals("SENT", owed.get("state").s(), keyId);
            sent++;
            if (Integer.parseInt(owed.get("attempts").n()) > 1) retried++;
        }
        Map<String, Integer> emailsPerKey = new HashMap<>();
        for (JsonNode email : seen) {
            for (var entry : keys.entrySet()) {
                if (email.path("subject").asText().contains(GatewayRaceTest.masked(entry.getValue()))) emailsPerKey.merge(entry.getKey(), 1, Integer::sum);
            }
        }
        int duplicated = (int) emailsPerKey.values().stream().filter(n -> n > 1).count();
        int lost = (int) keyIds.stream().filter(id -> !emailsPerKey.containsKey(id)).count();
        assertEquals(0, lost, "no activation without its email");
        assertEquals(0, duplicated, "no activation with two emails: " + emailsPerKey);
        assertTrue(retried > 0, "the emails owed while SES was down went out after retries");
        System.out.printf("email fault: %d confirms, SES down for confirms 11-20: emails owed %d, sent %d (%d after retries), "
                + "received %d, lost %d, duplicated %d%n", CONFIRMS, keyIds.size(), sent, retried, emailsPerKey.size(), lost, duplicated);
    }

    @Test
    void an_email_ses_keeps_refusing_is_given_up_dead_lettered_and_resent_by_the_back_office() {
        // A notifier with three quick attempts, on the stack's table, and SES unreachable.
        Map<String, Object> properties = new HashMap<>(stack.properties(DevStack.TABLE));
        properties.put("ses.endpoint", "http://127.0.0.1:9"); // discard port: nothing listens
        properties.put("email.max-attempts", 3);
        properties.put("email.first-wait-millis", 10);
        ApiClient user = stack.newUser("dist-d-" + UUID.randomUUID().toString().substring(0, 6));
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":2}", "idempotency-key", java.util.UUID.randomUUID().toString());
        String key = minted.json().path("keys").get(0).path("key").asText();
        String keyId = minted.json().path("keys").get(0).path("keyId").asText();
        String neverActivated = minted.json().path("keys").get(1).path("keyId").asText();

        String failing = failedEmail(user, key, keyId, properties);
        assertEquals("FAILED", failing);
        var owed = emailItem(keyId);
        assertEquals("3", owed.get("attempts").n());
        assertEquals(0, stack.emailsAbout(GatewayRaceTest.masked(key)).size());

        var history = user.get("/v1/prepaid-keys/" + keyId);
        assertEquals("FAILED", history.json().path("confirmationEmail").asText(), "the distributor sees it did not go out");
        assertEquals(KeyStatus.AVAILABLE.name(), history.json().path("key").path("status").asText(), "and the key is theirs regardless");

        String idempotencyKey = "resend-" + UUID.randomUUID();
        var resend = admin.post("/v1/admin/prepaid-keys/" + keyId + "/resend-email", null, "idempotency-key", idempotencyKey);
        assertEquals(202, resend.status(), resend.body());
        assertEquals(true, resend.json().path("queued").asBoolean());
        stack.awaitEmailsSettled(List.of(keyId), Duration.ofSeconds(30));
        assertEquals("SENT", emailItem(keyId).get("state").s());
        assertEquals(1, stack.emailsAbout(GatewayRaceTest.masked(key)).size(), "resent once");

        var replay = admin.post("/v1/admin/prepaid-keys/" + keyId + "/resend-email", null, "idempotency-key", idempotencyKey);
        assertEquals(202, replay.status());
        assertEquals("true", replay.header("idempotent-replayed"));
        var again = admin.post("/v1/admin/prepaid-keys/" + keyId + "/resend-email", "{}");
        assertEquals(202, again.status(), "a new request is a new resend");
        stack.awaitEmailsSettled(List.of(keyId), Duration.ofSeconds(30));
        assertEquals(2, stack.emailsAbout(GatewayRaceTest.masked(key)).size(), "the replay sent nothing, the new request one");

        var notOwed = admin.post("/v1/admin/prepaid-keys/" + neverActivated + "/resend-email", null);
        assertEquals(409, notOwed.status());
        assertEquals("EMAIL_NOT_OWED", notOwed.code());
        assertEquals("ISSUED", notOwed.json().path("keyStatus").asText());
        assertEquals(404, admin.post("/v1/admin/prepaid-keys/00000000000000000000000000/resend-email", null).status());
        assertEquals(403, user.post("/v1/admin/prepaid-keys/" + keyId + "/resend-email", null).status());
    }

    /** Confirms the key with the stack's notifier paused and one that cannot reach SES in its place. */
    private String failedEmail(ApiClient user, String key, String keyId, Map<String, Object> properties) {
        StreamPoller stackNotifier = stack.local.streamNotifier();
        stackNotifier.pause();
        try (StreamPoller failing = InProcessNotifier.on(stack, DevStack.TABLE, properties)) {
            failing.pollOnce(); // catch up with the stream (every email there is SENT): from here on it reads only new records
            assertEquals(200, user.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", key)).status());
            for (int i = 0; i < 50; i++) {
                failing.pollOnce();
                String state = emailItem(keyId).get("state").s();
                if (state.equals("FAILED") || state.equals("SENT")) return state;
            }
            return emailItem(keyId).get("state").s();
        } finally {
            stackNotifier.resume();
        }
    }

    private Map<String, AttributeValue> emailItem(String keyId) {
        return stack.dynamo.getItem(r -> r.tableName(DevStack.TABLE).consistentRead(true)
                .key(Map.of("PK", AttributeValue.fromS("KEY#" + keyId), "SK", AttributeValue.fromS("EMAIL#ACTIVATION")))).item();
    }
}
