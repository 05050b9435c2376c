package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.local.DevStack;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * "Corregir asignación": a key given to the wrong client goes to the right one within 72 hours; the
 * history keeps both clients and why, and the directory's counts move. After that the assignment is final.
 */
class ReassignTest {
    private static final String WRONG = "SAT970701NN3";
    private static final String RIGHT = "GODE561231GR8";
    private static final String CORRECTION = "{\"client\":{\"rfc\":\"" + RIGHT + "\",\"name\":\"Ana Gómez\"},"
            + "\"reason\":\"Se capturó el RFC de otro cliente\"}";

    private final TestStack stack = TestStack.get();
    private final ApiClient admin = stack.newUser(null);
    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final ApiClient owner = stack.newUser("dist-reassign-" + suffix);
    private final ApiClient intruder = stack.newUser("dist-intruder-" + suffix);
    private final String keyId;

    ReassignTest() {
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":1}",
                "idempotency-key", UUID.randomUUID().toString());
        assertEquals(201, minted.status(), minted.body());
        JsonNode key = minted.json().path("keys").get(0);
        keyId = key.path("keyId").asText();
        assertEquals(200, owner.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", key.path("key").asText())).status());
        var assigned = owner.post("/v1/prepaid-keys/" + keyId + "/assign",
                "{\"client\":{\"rfc\":\"" + WRONG + "\",\"name\":\"Servicio de Administración Tributaria\"}}",
                "idempotency-key", UUID.randomUUID().toString());
        assertEquals(200, assigned.status(), assigned.body());
    }

    private ApiClient.Reply reassign(ApiClient user, String idempotencyKey) {
        return user.post("/v1/prepaid-keys/" + keyId + "/reassign", CORRECTION, "idempotency-key", idempotencyKey);
    }

    @Test
    void within_72_hours_the_key_goes_to_the_right_client_with_both_in_its_history() {
        var corrected = reassign(owner, UUID.randomUUID().toString());
        assertEquals(200, corrected.status(), corrected.body());
        assertEquals(RIGHT, corrected.json().path("client").path("rfc").asText());

        var history = owner.get("/v1/prepaid-keys/" + keyId).json();
        assertEquals(List.of("ISSUED", "ACTIVATED", "ASSIGNED", "REASSIGNED"), TestStack.eventTypes(history.path("history")));
        JsonNode entry = history.path("history").get(3).path("details");
        assertEquals(WRONG, entry.path("fromClientRfc").asText());
        assertEquals(RIGHT, entry.path("clientRfc").asText());
        assertEquals("Se capturó el RFC de otro cliente", entry.path("reason").asText());
        assertEquals(WRONG, history.path("history").get(2).path("details").path("clientRfc").asText(), "the first assignment stays");

        assertEquals(0, owner.get("/v1/clients/" + WRONG).json().path("keyCount").asInt());
        assertEquals(1, owner.get("/v1/clients/" + RIGHT).json().path("keyCount").asInt());
        assertEquals(keyId, owner.get("/v1/clients/" + RIGHT + "/keys").json().path("items").get(0).path("keyId").asText());
        assertEquals(0, owner.get("/v1/clients/" + WRONG + "/keys").json().path("items").size());
    }

    @Test
    void a_replay_with_the_same_idempotency_key_returns_the_same_answer_and_moves_nothing_again() {
        String idempotencyKey = UUID.randomUUID().toString();
        var first = reassign(owner, idempotencyKey);
        var replay = reassign(owner, idempotencyKey);
        assertEquals(200, first.status(), first.body());
        assertEquals(first.status(), replay.status());
        assertEquals(first.json(), replay.json());
        assertEquals(1, owner.get("/v1/clients/" + RIGHT).json().path("keyCount").asInt());
        var history = owner.get("/v1/prepaid-keys/" + keyId).json();
        assertEquals(List.of("ISSUED", "ACTIVATED", "ASSIGNED", "REASSIGNED"), TestStack.eventTypes(history.path("history")));
    }

    @Test
    void an_assignment_over_72_hours_old_is_final() {
        String longAgo = Timestamps.format(Instant.now().minus(Duration.ofHours(72)).minusSeconds(60));
        stack.dynamo.updateItem(r -> r.tableName(DevStack.TABLE)
                .key(Map.of("PK", AttributeValue.fromS("KEY#" + keyId), "SK", AttributeValue.fromS("KEY")))
                .updateExpression("SET assignedAt = :at").expressionAttributeValues(Map.of(":at", AttributeValue.fromS(longAgo))));
        var refused = reassign(owner, UUID.randomUUID().toString());
        assertEquals(409, refused.status(), refused.body());
        assertEquals("ASSIGNMENT_FINAL", refused.code());
        assertEquals(longAgo, refused.json().path("assignedAt").asText());
        var english = owner.post("/v1/prepaid-keys/" + keyId + "/reassign", CORRECTION, "idempotency-key", UUID.randomUUID().toString(),
                "accept-language", "en");
        assertEquals("The assignment is final", english.json().path("title").asText(), english.body());
        assertEquals(WRONG, owner.get("/v1/prepaid-keys/" + keyId).json().path("key").path("client").path("rfc").asText());
    }

    @Test
    void another_distributor_gets_404_and_the_reason_is_required() {
        var foreign = reassign(intruder, UUID.randomUUID().toString());
        assertEquals(404, foreign.status(), foreign.body());
        assertEquals("NOT_FOUND", foreign.code());
        var noReason = owner.post("/v1/prepaid-keys/" + keyId + "/reassign",
                "{\"client\":{\"rfc\":\"" + RIGHT + "\",\"name\":\"Ana Gómez\"}}", "idempotency-key", UUID.randomUUID().toString());
        assertEquals(400, noReason.status(), noReason.body());
        assertEquals("reason", noReason.json().path("field").asText());
        assertEquals(WRONG, owner.get("/v1/prepaid-keys/" + keyId).json().path("key").path("client").path("rfc").asText());
    }
}
