package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A distributor reads its keys through its own view: what the back office did is shown as done by
 * the vendor, with no admin's address or id, no batch id and no batch note; the back office's view
 * of the same key keeps all of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributorViewTest {
    private static final String NOTE = "Pedido interno 4471: descuento especial para Norte";
    private final TestStack stack = TestStack.get();
    private final ApiClient admin = stack.newUser(null);
    private final ApiClient distributor = stack.newUser("dist-v-" + UUID.randomUUID().toString().substring(0, 6));

    @Test
    void a_distributor_sees_the_vendor_where_the_back_office_acted_and_no_batch_data() {
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":1,\"note\":\"" + NOTE + "\"}", "idempotency-key", java.util.UUID.randomUUID().toString());
        assertEquals(201, minted.status(), minted.body());
        String batchId = minted.json().path("batchId").asText();
        String key = minted.json().path("keys").get(0).path("key").asText();
        String keyId = minted.json().path("keys").get(0).path("keyId").asText();
        assertEquals(200, distributor.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", key)).status());
        assertEquals(200, admin.post("/v1/admin/prepaid-keys/" + keyId + "/void", "{\"reason\":\"Devolución del cliente\"}").status());
        String adminEmail = TestStack.emailOf(admin);
        String adminSub = TestStack.claimOf(admin, "sub");
        String adminUsername = TestStack.claimOf(admin, "cognito:username");

        var reply = distributor.get("/v1/prepaid-keys/" + keyId);
        assertEquals(200, reply.status(), reply.body());
        String seen = reply.body();
        for (String secret : List.of(adminEmail, adminSub, adminUsername, batchId, NOTE)) {
            assertFalse(seen.contains(secret), "the distributor's view does not show " + secret + ": " + seen);
        }
        JsonNode history = reply.json().path("history");
        assertEquals(List.of("ISSUED", "ACTIVATED", "VOIDED"), TestStack.eventTypes(history));
        for (int i : new int[] {0, 2}) {
            assertEquals("VENDOR", history.get(i).path("by").path("type").asText(), history.get(i).toString());
        }
        assertFalse(history.get(0).has("details"), "no batch id or note: " + history.get(0));
        assertEquals("Devolución del cliente", history.get(2).path("details").path("reason").asText(), "why it was voided is theirs to know");
        assertFalse(reply.json().path("key").has("batchId"));

        var backOffice = admin.get("/v1/admin/prepaid-keys/" + keyId);
        assertEquals(200, backOffice.status(), backOffice.body());
        JsonNode issued = backOffice.json().path("history").get(0);
        assertEquals("ADMIN", issued.path("by").path("type").asText(), issued.toString());
        assertEquals(adminUsername, issued.path("by").path("username").asText());
        assertEquals(adminSub, issued.path("by").path("sub").asText());
        assertEquals(batchId, issued.path("details").path("batchId").asText());
        assertEquals(NOTE, issued.path("details").path("note").asText());
        assertEquals(batchId, backOffice.json().path("key").path("batchId").asText());
        assertTrue(backOffice.json().path("history").get(2).path("by").path("username").asText().equals(adminUsername));
    }
}
