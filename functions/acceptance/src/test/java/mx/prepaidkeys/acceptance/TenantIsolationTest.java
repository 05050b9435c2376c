package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import mx.prepaidkeys.local.DevStack;
import mx.prepaidkeys.local.Emulators;
import mx.prepaidkeys.local.SamTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every route of template.yaml, walked: a distributor reaching for another distributor's key, key
 * id or cursor gets exactly what it would get for one that does not exist, and the owner's data is
 * untouched; a distributor on any back-office route, or an admin on a distributor's route, gets 403
 * and changes nothing. A route added to the template without a probe here fails this test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationTest {
    private static final String OWNERS_CLIENT = "GODE561231GR8";
    private static final String UNKNOWN_CLIENT = "BMN930209927";
    private final TestStack stack = TestStack.get();
    private final ApiClient admin = stack.newUser(null);
    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final ApiClient owner = stack.newUser("dist-owner-" + suffix);
    private final ApiClient intruder = stack.newUser("dist-intruder-" + suffix);
    private final TableChanges changes = new TableChanges(stack, DevStack.TABLE);

    private String ownedKey;
    private String ownedKeyId;
    private String ownersCursor;

    /** What a distributor may try against another's data on each distributor route. */
    private final Map<String, Runnable> probes = new LinkedHashMap<>();

    TenantIsolationTest() {
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":3}", "idempotency-key", java.util.UUID.randomUUID().toString());
        assertEquals(201, minted.status(), minted.body());
        var keys = minted.json().path("keys");
        ownedKey = keys.get(0).path("key").asText();
        ownedKeyId = keys.get(0).path("keyId").asText();
        for (int i = 0; i < 3; i++) {
            assertEquals(200, owner.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", keys.get(i).path("key").asText())).status());
        }
        ownersCursor = owner.get("/v1/prepaid-keys?limit=1").json().path("nextCursor").asText();
        // Two clients in the owner's directory (its first key stays AVAILABLE).
        for (int i = 1; i < 3; i++) {
            String rfc = i == 1 ? OWNERS_CLIENT : "SAT970701NN3";
            var assigned = owner.post("/v1/prepaid-keys/" + keys.get(i).path("keyId").asText() + "/assign",
                    "{\"client\":{\"rfc\":\"" + rfc + "\",\"name\":\"Ana Gómez\"}}", "idempotency-key", UUID.randomUUID().toString());
            assertEquals(200, assigned.status(), assigned.body());
        }
        String clientsCursor = owner.get("/v1/clients?limit=1").json().path("nextCursor").asText();
        assertFalse(clientsCursor.isEmpty());
        assertFalse(ownersCursor.isEmpty());
        List<String> ids = new ArrayList<>();
        keys.forEach(k -> ids.add(k.path("keyId").asText()));
        stack.awaitEmailsSettled(ids, Duration.ofSeconds(30));

        String unknownKeyId = "0000000000000000000000000z";
        probes.put("POST /v1/prepaid-keys/capture", () -> sameAsUnknown(
                intruder.post("/v1/prepaid-keys/capture", GuessingTest.body("capture", ownedKey)),
                intruder.post("/v1/prepaid-keys/capture", GuessingTest.body("capture", PrepaidKeyCodes.fresh())), 422));
        probes.put("POST /v1/prepaid-keys/confirm", () -> sameAsUnknown(
                intruder.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", ownedKey)),
                intruder.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", PrepaidKeyCodes.fresh())), 422));
        probes.put("GET /v1/prepaid-keys", () -> {
            var foreign = intruder.get("/v1/prepaid-keys?limit=1&cursor=" + ownersCursor);
            assertEquals(404, foreign.status(), foreign.body());
            assertEquals("NOT_FOUND", foreign.code());
            var own = intruder.get("/v1/prepaid-keys?limit=100");
            assertEquals(200, own.status());
            assertFalse(own.body().contains(ownedKeyId), "the owner's keys are not in the intruder's list");
        });
        probes.put("GET /v1/prepaid-keys/{keyId}", () -> sameAsUnknown(
                intruder.get("/v1/prepaid-keys/" + ownedKeyId), intruder.get("/v1/prepaid-keys/" + unknownKeyId), 404));
        probes.put("GET /v1/account", () -> {
            var own = intruder.get("/v1/account");
            assertEquals(200, own.status(), own.body());
            assertEquals("dist-intruder-" + suffix, own.json().path("distributorId").asText(), "the caller's own account, never another's");
        });
        probes.put("POST /v1/prepaid-keys/{keyId}/assign", () -> {
            String assign = "{\"client\":{\"rfc\":\"TME840315KT6\",\"name\":\"Teléfonos de México\"}}";
            sameAsUnknown(intruder.post("/v1/prepaid-keys/" + ownedKeyId + "/assign", assign),
                    intruder.post("/v1/prepaid-keys/" + unknownKeyId + "/assign", assign), 404);
        });
        probes.put("POST /v1/prepaid-keys/{keyId}/reassign", () -> {
            String reassign = "{\"client\":{\"rfc\":\"TME840315KT6\",\"name\":\"Teléfonos de México\"},\"reason\":\"Error\"}";
            String usedKeyId = keys.get(1).path("keyId").asText();
            sameAsUnknown(intruder.post("/v1/prepaid-keys/" + usedKeyId + "/reassign", reassign),
                    intruder.post("/v1/prepaid-keys/" + unknownKeyId + "/reassign", reassign), 404);
        });
        probes.put("GET /v1/clients", () -> {
            var foreign = intruder.get("/v1/clients?limit=1&cursor=" + clientsCursor);
            assertEquals(404, foreign.status(), foreign.body());
            assertEquals("NOT_FOUND", foreign.code());
            var own = intruder.get("/v1/clients?limit=100");
            assertEquals(200, own.status());
            assertFalse(own.body().contains(OWNERS_CLIENT), "the owner's clients are not in the intruder's directory");
            var search = intruder.get("/v1/clients?q=gomez");
            assertEquals(200, search.status());
            assertFalse(search.body().contains(OWNERS_CLIENT), "nor found by the intruder's search");
        });
        probes.put("GET /v1/clients/{rfc}", () -> sameAsUnknown(
                intruder.get("/v1/clients/" + OWNERS_CLIENT), intruder.get("/v1/clients/" + UNKNOWN_CLIENT), 404));
        probes.put("PUT /v1/clients/{rfc}", () -> {
            String edit = "{\"name\":\"Intrusa\"}";
            sameAsUnknown(intruder.put("/v1/clients/" + OWNERS_CLIENT, edit), intruder.put("/v1/clients/" + UNKNOWN_CLIENT, edit), 404);
            assertEquals("Ana Gómez", owner.get("/v1/clients/" + OWNERS_CLIENT).json().path("name").asText());
        });
        probes.put("GET /v1/clients/{rfc}/keys", () -> sameAsUnknown(
                intruder.get("/v1/clients/" + OWNERS_CLIENT + "/keys"), intruder.get("/v1/clients/" + UNKNOWN_CLIENT + "/keys"), 404));
    }

    @Test
    void every_route_keeps_tenants_and_roles_apart() {
        Map<String, SampleEvents.Sample> samples = SampleEvents.byRoute();
        List<String> walked = new ArrayList<>();
        for (var function : SamTemplate.load(Emulators.repositoryRoot().resolve("template.yaml")).functions()) {
            for (var route : function.routes()) {
                String routeKey = route.routeKey();
                var sample = samples.get(routeKey);
                if (route.path().startsWith("/v1/admin/")) {
                    int mark = changes.mark();
                    var refused = intruder.send(sample.method(), sample.path(), sample.body());
                    assertEquals(403, refused.status(), routeKey + " for a distributor: " + refused.body());
                    assertEquals("FORBIDDEN", refused.code());
                    assertEquals(List.of(), changes.since(mark), routeKey + " changed nothing");
                } else {
                    assertTrue(probes.containsKey(routeKey), routeKey + " is a distributor route without a tenant-isolation probe");
                    int mark = changes.mark();
                    probes.get(routeKey).run();
                    assertEquals(List.of(), changes.keysAndHistorySince(mark), routeKey + ": nothing of the owner changed");
                    var asAdmin = admin.send(sample.method(), sample.path(), sample.body());
                    assertEquals(403, asAdmin.status(), routeKey + " for an admin: " + asAdmin.body());
                }
                walked.add(routeKey);
            }
        }
        var key = owner.get("/v1/prepaid-keys/" + ownedKeyId);
        assertEquals("AVAILABLE", key.json().path("key").path("status").asText(), "the owner's key is as it was");
        System.out.printf("tenant isolation: %d routes walked (%d distributor routes probed with another tenant's key, key id or cursor)%n",
                walked.size(), probes.size());
    }

    /** A foreign thing is answered exactly as a missing one: same status, same body but the request id. */
    private static void sameAsUnknown(ApiClient.Reply foreign, ApiClient.Reply unknown, int status) {
        assertEquals(status, foreign.status(), foreign.body());
        assertEquals(unknown.status(), foreign.status());
        assertEquals(unknown.comparable(), foreign.comparable());
    }
}
