package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mx.prepaidkeys.local.DevStack;
import mx.prepaidkeys.local.StackFile;
import mx.prepaidkeys.store.KeyTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The whole key lifecycle through the local gateway with real tokens, as the back office and a
 * distributor live it: a batch is minted, keys are captured, confirmed, assigned, the rest voided;
 * every forbidden move gets its exact code and leaves the table as it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LifecycleTest {
    private final TestStack stack = TestStack.get();
    private final StackFile info = stack.local.info();
    private final ApiClient admin = ApiClient.signIn(info, "admin");
    private final ApiClient ana = ApiClient.signIn(info, "ana.lopez");
    private final ApiClient beatriz = ApiClient.signIn(info, "beatriz.soto");
    private final TableChanges changes = new TableChanges(stack, DevStack.TABLE);

    @Test
    void mint_confirm_assign_void_and_the_counts_add_up() {
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":5,\"note\":\"Pedido 77\"}", "idempotency-key", java.util.UUID.randomUUID().toString());
        assertEquals(201, minted.status(), minted.body());
        String batchId = minted.json().path("batchId").asText();
        List<String> keys = minted.json().path("keys").findValuesAsText("key");
        List<String> keyIds = minted.json().path("keys").findValuesAsText("keyId");
        assertEquals(5, keys.size());
        assertEquals("Pedido 77", minted.json().path("note").asText());
        assertEquals("admin", minted.json().path("createdBy").asText(), "the admin by username, not by address");

        // a distributor captures, confirms and assigns the first key
        assertEquals(200, ana.post("/v1/prepaid-keys/capture", "{\"key\":\"" + keys.get(0) + "\"}").status());
        var confirmed = ana.post("/v1/prepaid-keys/confirm", "{\"key\":\"" + keys.get(0) + "\",\"acceptLicense\":true,\"licenseVersion\":\"2026.1\"}");
        assertEquals(200, confirmed.status(), confirmed.body());
        assertNotNull(confirmed.json().path("validUntil").asText(null));
        assertTrue(confirmed.json().path("notice").asText().contains("vigencia hasta el"), confirmed.body());
        var assigned = ana.post("/v1/prepaid-keys/" + keyIds.get(0) + "/assign",
                "{\"client\":{\"rfc\":\"gode-561231-gr8\",\"name\":\"  Eduardo   Gómez Díaz \"}}");
        assertEquals(200, assigned.status(), assigned.body());
        assertEquals("USED", assigned.json().path("status").asText());
        assertEquals("GODE561231GR8", assigned.json().path("client").path("rfc").asText());
        assertEquals("Eduardo Gómez Díaz", assigned.json().path("client").path("name").asText());
        // and confirms a second one, which stays available
        assertEquals(200, ana.post("/v1/prepaid-keys/confirm",
                "{\"key\":\"" + keys.get(1) + "\",\"acceptLicense\":true,\"licenseVersion\":\"2026.1\"}").status());

        // the history tells who did what (the email goes out from the table's stream, in a moment)
        stack.awaitEmailsSettled(keyIds.subList(0, 2), java.time.Duration.ofSeconds(30));
        var history = ana.get("/v1/prepaid-keys/" + keyIds.get(0));
        assertEquals(200, history.status(), history.body());
        assertEquals(List.of("ISSUED", "ACTIVATED", "ASSIGNED"), TestStack.eventTypes(history.json().path("history")));
        JsonNode activated = history.json().path("history").get(1);
        assertEquals("USER", activated.path("by").path("type").asText());
        assertEquals("ana.lopez", activated.path("by").path("username").asText(), "the user by username, not by address");
        assertEquals("2026.1", activated.path("details").path("licenseVersion").asText());
        assertEquals("GODE561231GR8", history.json().path("history").get(2).path("details").path("clientRfc").asText());
        assertEquals("SENT", history.json().path("confirmationEmail").asText());
        assertEquals(404, beatriz.get("/v1/prepaid-keys/" + keyIds.get(0)).status(), "another distributor's key does not exist for her");

        // the back office voids the rest of the batch: 3 ISSUED and 1 AVAILABLE; the used one stays
        var voided = admin.post("/v1/admin/key-batches/" + batchId + "/void", "{\"reason\":\"Pedido cancelado\"}");
        assertEquals(200, voided.status(), voided.body());
        assertEquals(4, voided.json().path("voided").asInt());
        assertEquals(1, voided.json().path("used").asInt());
        var counted = admin.get("/v1/admin/key-batches/" + batchId);
        assertEquals(200, counted.status());
        JsonNode counts = counted.json().path("counts");
        assertEquals(Map.of("ISSUED", 0, "AVAILABLE", 0, "USED", 1, "VOID", 4, "EXPIRED", 0), Map.of(
                "ISSUED", counts.path("ISSUED").asInt(), "AVAILABLE", counts.path("AVAILABLE").asInt(), "USED", counts.path("USED").asInt(),
                "VOID", counts.path("VOID").asInt(), "EXPIRED", counts.path("EXPIRED").asInt()));
        int total = 0;
        for (JsonNode count : counts) total += count.asInt();
        assertEquals(5, total, "every key of the batch is counted once");
        var voidedKey = admin.get("/v1/admin/prepaid-keys/" + keyIds.get(1));
        assertEquals("VOID", voidedKey.json().path("key").path("status").asText());
        assertEquals("Pedido cancelado", voidedKey.json().path("key").path("voidReason").asText());
        assertEquals("dist-norte", voidedKey.json().path("key").path("distributorId").asText());
        assertEquals(List.of("ISSUED", "ACTIVATED", "VOIDED"), TestStack.eventTypes(voidedKey.json().path("history")));

        // forbidden moves: exact codes, and the table does not change
        int mark = changes.mark();
        // (the refused confirm counts as a failed attempt: that log is the one thing it writes)
        expect(ana.post("/v1/prepaid-keys/confirm", "{\"key\":\"" + keys.get(2) + "\",\"acceptLicense\":true,\"licenseVersion\":\"2026.1\"}"),
                422, "KEY_NOT_REDEEMABLE");
        expect(ana.post("/v1/prepaid-keys/" + keyIds.get(0) + "/assign", "{\"client\":{\"rfc\":\"XAXX010101000\",\"name\":\"Otro\"}}"),
                409, "KEY_ALREADY_USED");
        expect(ana.post("/v1/prepaid-keys/" + keyIds.get(1) + "/assign", "{\"client\":{\"rfc\":\"XAXX010101000\",\"name\":\"Otro\"}}"),
                409, "KEY_NOT_ASSIGNABLE");
        expect(admin.post("/v1/admin/prepaid-keys/" + keyIds.get(0) + "/void", "{\"reason\":\"error\"}"), 409, "KEY_ALREADY_USED");
        expect(beatriz.post("/v1/prepaid-keys/" + keyIds.get(0) + "/assign", "{\"client\":{\"rfc\":\"XAXX010101000\",\"name\":\"x\"}}"),
                404, "NOT_FOUND");
        expect(ana.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":1}"), 403, "FORBIDDEN");
        expect(ana.get("/v1/admin/key-batches/" + batchId), 403, "FORBIDDEN");
        expect(ana.post("/v1/admin/prepaid-keys/" + keyIds.get(2) + "/void", "{\"reason\":\"x\"}"), 403, "FORBIDDEN");
        expect(ana.put("/v1/admin/products/SAE-12M", "{}"), 403, "FORBIDDEN");
        expect(ana.get("/v1/admin/products"), 403, "FORBIDDEN");
        expect(ana.get("/v1/admin/prepaid-keys/" + keyIds.get(0)), 403, "FORBIDDEN");
        expect(admin.get("/v1/prepaid-keys/" + keyIds.get(0)), 403, "FORBIDDEN");
        expect(admin.get("/v1/admin/key-batches/zzzzzzzzzzzzzzzz"), 404, "NOT_FOUND");
        expect(admin.get("/v1/admin/prepaid-keys/not-a-key-id"), 404, "NOT_FOUND");
        assertEquals(List.of(), changes.keysAndHistorySince(mark), "forbidden moves change nothing");

        // voiding a void key again answers the same and changes nothing
        var again = admin.post("/v1/admin/prepaid-keys/" + keyIds.get(1) + "/void", "{\"reason\":\"otra vez\"}");
        assertEquals(200, again.status());
        assertEquals("Pedido cancelado", again.json().path("voidReason").asText());
        assertEquals(List.of(), changes.keysAndHistorySince(mark));
    }

    @Test
    void client_rfcs_are_checked_as_sat_defines_them() {
        var batch = admin.post("/v1/admin/key-batches", "{\"productSku\":\"COI-12M\",\"quantity\":1}", "idempotency-key", java.util.UUID.randomUUID().toString());
        String key = batch.json().path("keys").get(0).path("key").asText();
        String keyId = batch.json().path("keys").get(0).path("keyId").asText();
        assertEquals(200, ana.post("/v1/prepaid-keys/confirm", "{\"key\":\"" + key + "\",\"acceptLicense\":true,\"licenseVersion\":\"2026.1\"}").status());
        stack.awaitEmailsSettled(List.of(keyId), java.time.Duration.ofSeconds(30));
        int mark = changes.mark();

        var tooShort = ana.post("/v1/prepaid-keys/" + keyId + "/assign", "{\"client\":{\"rfc\":\"ABC12\",\"name\":\"x\"}}");
        expect(tooShort, 400, "CLIENT_RFC_INVALID");
        assertEquals("client.rfc", tooShort.json().path("field").asText());
        assertEquals("LENGTH", tooShort.json().path("reason").asText());
        var badDate = ana.post("/v1/prepaid-keys/" + keyId + "/assign", "{\"client\":{\"rfc\":\"SAT971301NN3\",\"name\":\"x\"}}");
        expect(badDate, 400, "CLIENT_RFC_INVALID");
        assertTrue(badDate.json().path("detail").asText().contains("fecha real"), badDate.body());
        expect(ana.post("/v1/prepaid-keys/" + keyId + "/assign", "{\"client\":{\"rfc\":\"TME840315KT7\",\"name\":\"Telmex\"}}"),
                400, "CLIENT_RFC_CHECK_DIGIT");
        expect(ana.post("/v1/prepaid-keys/" + keyId + "/assign", "{\"client\":{\"rfc\":\"TME840315KT6\"}}"), 400, "REQUEST_INVALID");
        assertEquals(List.of(), changes.since(mark));

        var confirmedRfc = ana.post("/v1/prepaid-keys/" + keyId + "/assign",
                "{\"client\":{\"rfc\":\"TME840315KT7\",\"name\":\"Telmex\"},\"confirmRfc\":true}");
        assertEquals(200, confirmedRfc.status(), confirmedRfc.body());
        var history = ana.get("/v1/prepaid-keys/" + keyId);
        assertEquals("true", history.json().path("history").get(2).path("details").path("rfcCheckDigitOverridden").asText());
    }

    @Test
    void a_retried_mint_with_the_same_idempotency_key_returns_the_same_batch() {
        String body = "{\"productSku\":\"NOI-6M\",\"quantity\":3,\"expiresAt\":\"2030-01-31T23:59:59-06:00\"}";
        var first = admin.post("/v1/admin/key-batches", body, "idempotency-key", "pedido-idem-1");
        assertEquals(201, first.status(), first.body());
        int mark = changes.mark();
        var retry = admin.post("/v1/admin/key-batches", body, "idempotency-key", "pedido-idem-1");
        assertEquals(201, retry.status());
        assertEquals(first.json(), retry.json(), "the same batch, the same plain keys");
        assertEquals("true", retry.header("idempotent-replayed"));
        assertEquals(List.of(), changes.since(mark), "no second batch");

        var other = admin.post("/v1/admin/key-batches", body.replace("3", "4"), "idempotency-key", "pedido-idem-1");
        expect(other, 422, "IDEMPOTENCY_KEY_REUSED");
        expect(admin.post("/v1/admin/key-batches", body, "idempotency-key", "x".repeat(256)), 400, "REQUEST_INVALID");
        assertEquals(List.of(), changes.since(mark));
        assertEquals("2030-02-01T05:59:59.000Z", first.json().path("expiresAt").asText());
    }

    @Test
    void a_batch_comes_as_csv_when_asked() {
        var csv = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":3}", "accept", "text/csv", "idempotency-key", java.util.UUID.randomUUID().toString());
        assertEquals(201, csv.status());
        assertTrue(csv.header("content-type").startsWith("text/csv"));
        assertTrue(csv.header("content-disposition").matches("attachment; filename=\"batch-[0-9a-z]{16}\\.csv\""), csv.header("content-disposition"));
        String[] lines = csv.body().split("\r\n");
        assertEquals("keyId,key,productSku,batchId,expiresAt", lines[0]);
        assertEquals(4, lines.length);
        Set<String> keys = new HashSet<>();
        for (int i = 1; i < lines.length; i++) keys.add(lines[i].split(",")[1]);
        assertEquals(3, keys.size());
    }

    @Test
    void a_new_licence_version_becomes_current_and_the_old_one_is_kept() {
        String product = """
                {"name":"Aspel BANCO 6.0","description":"Control bancario","termMonths":12,
                 "license":{"version":"%s","title":"Licencia BANCO","url":"https://vendor.example/licencias/banco/%s","text":"%s"}}""";
        var created = admin.put("/v1/admin/products/BANCO-12M", product.formatted("2026.1", "2026.1", "Texto uno"));
        assertEquals(201, created.status(), created.body());
        assertEquals(200, admin.put("/v1/admin/products/BANCO-12M", product.formatted("2026.1", "2026.1", "Texto uno")).status());
        expect(admin.put("/v1/admin/products/BANCO-12M", product.formatted("2026.1", "2026.1", "Texto cambiado")), 409, "LICENSE_VERSION_IMMUTABLE");
        var updated = admin.put("/v1/admin/products/BANCO-12M", product.formatted("2026.2", "2026.2", "Texto dos"));
        assertEquals(200, updated.status());
        assertEquals("2026.2", updated.json().path("license").path("version").asText());

        var listed = admin.get("/v1/admin/products");
        List<String> skus = listed.json().path("items").findValuesAsText("sku");
        assertTrue(skus.containsAll(List.of("SAE-12M", "COI-12M", "NOI-6M", "BANCO-12M")), skus.toString());
        for (String version : List.of("2026.1", "2026.2")) {
            var item = stack.dynamo.getItem(r -> r.tableName(DevStack.TABLE).key(Map.of(KeyTable.PK, AttributeValue.fromS("PRODUCT#BANCO-12M"),
                    KeyTable.SK, AttributeValue.fromS("LICENSE#" + version)))).item();
            assertFalse(item.isEmpty(), "licence " + version + " is kept");
        }
        var badSku = admin.put("/v1/admin/products/banco%2012", product.formatted("1", "1", "t"));
        expect(badSku, 400, "REQUEST_INVALID");
        assertEquals("sku", badSku.json().path("field").asText());
    }

    @Test
    void bad_admin_requests_name_their_field() {
        record Case(String body, String field) {}
        List<Case> cases = new ArrayList<>(List.of(
                new Case("{\"productSku\":\"SAE-12M\",\"quantity\":0}", "quantity"),
                new Case("{\"productSku\":\"SAE-12M\",\"quantity\":5001}", "quantity"),
                new Case("{\"productSku\":\"SAE-12M\",\"quantity\":1.5}", "quantity"),
                new Case("{\"productSku\":\"SAE-12M\",\"quantity\":\"3\"}", "quantity"),
                new Case("{\"productSku\":\"SAE-12M\",\"quantity\":1,\"expiresAt\":\"2020-01-01T00:00:00Z\"}", "expiresAt"),
                new Case("{\"productSku\":\"SAE-12M\",\"quantity\":1,\"expiresAt\":\"mañana\"}", "expiresAt"),
                new Case("{\"productSku\":\"SAE-12M\",\"quantity\":1,\"note\":\"" + "n".repeat(501) + "\"}", "note"),
                new Case("{\"quantity\":1}", "productSku")));
        for (Case c : cases) {
            var reply = admin.post("/v1/admin/key-batches", c.body(), "idempotency-key", java.util.UUID.randomUUID().toString());
            expect(reply, 400, "REQUEST_INVALID");
            assertEquals(c.field(), reply.json().path("field").asText(), c.body());
        }
        expect(admin.post("/v1/admin/key-batches", "{\"productSku\":\"NOPE-1\",\"quantity\":1}", "idempotency-key", java.util.UUID.randomUUID().toString()), 404, "NOT_FOUND");
        var noReason = admin.post("/v1/admin/prepaid-keys/" + "0".repeat(26) + "/void", "{}");
        expect(noReason, 400, "REQUEST_INVALID");
        assertNull(admin.get("/v1/admin/key-batches/0000000000000000").json().path("batchId").asText(null));
    }

    private static void expect(ApiClient.Reply reply, int status, String code) {
        assertEquals(status, reply.status(), reply.body());
        assertEquals(code, reply.code(), reply.body());
    }
}
