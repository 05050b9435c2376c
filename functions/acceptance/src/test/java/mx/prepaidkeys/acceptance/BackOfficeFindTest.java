package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.local.DevStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The back office finds keys through the local gateway: from the masked key a distributor reads out
 * on the phone (its last five symbols), from a batch or from a distributor, narrowed by status,
 * product and client; it lists the batches newest first with their counts. Refusals name the
 * parameters, cursors are its own, a distributor is refused, and nothing is ever written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackOfficeFindTest {
    private static final String RFC = "GODE561231GR8";
    private final TestStack stack = TestStack.get();
    private final ApiClient admin = stack.newUser(null);
    private final String distributorId = "dist-find-" + UUID.randomUUID().toString().substring(0, 6);
    private final ApiClient distributor = stack.newUser(distributorId);
    private final TableChanges changes = new TableChanges(stack, DevStack.TABLE);
    /** A product of this test's own, so that its batch list holds only this test's batches. */
    private final String sku = "FIND-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase().replaceAll("[^A-Z0-9]", "X");
    private final String batchId;
    private final String olderBatchId;
    /** The batch's keys as minted: 0 USED by the client, 1 and 2 AVAILABLE, 3 VOID, 4 and 5 ISSUED. */
    private final List<String> keys = new ArrayList<>();
    private final List<String> keyIds = new ArrayList<>();

    BackOfficeFindTest() {
        new InProcessFixture.Products(stack, DevStack.TABLE).save(new Product(sku, "Aspel FIND 1.0", "Búsquedas", 12,
                new License("2026.1", "Licencia de uso de Aspel FIND", "https://vendor.example/licencias/find/2026.1",
                        "El uso de Aspel FIND se rige por esta licencia de prueba.")));
        olderBatchId = mint(2);
        batchId = mint(6);
        for (int i = 0; i < 3; i++) {
            var confirmed = distributor.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", keys.get(i)));
            assertEquals(200, confirmed.status(), confirmed.body());
        }
        var assigned = distributor.post("/v1/prepaid-keys/" + keyIds.get(0) + "/assign",
                "{\"client\":{\"rfc\":\"" + RFC + "\",\"name\":\"Eduardo Gómez Díaz\"}}");
        assertEquals(200, assigned.status(), assigned.body());
        var voided = admin.post("/v1/admin/prepaid-keys/" + keyIds.get(3) + "/void", "{\"reason\":\"Devolución del pedido\"}");
        assertEquals(200, voided.status(), voided.body());
        stack.awaitEmailsSettled(keyIds.subList(0, 3), Duration.ofSeconds(30));
    }

    private String mint(int quantity) {
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"" + sku + "\",\"quantity\":" + quantity + "}",
                "idempotency-key", UUID.randomUUID().toString());
        assertEquals(201, minted.status(), minted.body());
        keys.clear();
        keyIds.clear();
        minted.json().path("keys").forEach(k -> {
            keys.add(k.path("key").asText());
            keyIds.add(k.path("keyId").asText());
        });
        return minted.json().path("batchId").asText();
    }

    private static String last5(String key) {
        return key.substring(key.length() - 5);
    }

    private ApiClient.Reply find(String query) {
        var reply = admin.get("/v1/admin/prepaid-keys?" + query);
        assertEquals(200, reply.status(), query + ": " + reply.body());
        return reply;
    }

    /** Every key id of a search, following its cursors to the end. */
    private List<String> all(String query) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 50; page++) {
            var reply = find(query + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            reply.json().path("items").forEach(item -> ids.add(item.path("keyId").asText()));
            cursor = reply.json().path("nextCursor").asText(null);
            if (cursor == null) return ids;
        }
        throw new AssertionError("more than 50 pages for " + query);
    }

    private Set<String> keyIds(int... indexes) {
        Set<String> ids = new HashSet<>();
        for (int i : indexes) ids.add(keyIds.get(i));
        return ids;
    }

    @Test
    void the_masked_key_a_distributor_reads_out_finds_the_key_with_its_batch_and_distributor() {
        String key = keys.get(1);
        String end = last5(key);
        String spoken = end.toLowerCase().substring(0, 2) + "-" + end.toLowerCase().substring(2);
        for (String typed : List.of(end, spoken, "*****-*****-*****-*****-" + end, "XXXXX-XXXXX-XXXXX-XXXXX-" + end)) {
            var reply = find("suffix=" + URLEncoder.encode(typed, StandardCharsets.UTF_8));
            JsonNode item = byId(reply.json(), keyIds.get(1));
            assertNotNull(item, typed + " finds the key: " + reply.body());
            assertEquals("*****-*****-*****-*****-" + end, item.path("maskedKey").asText());
            assertEquals("AVAILABLE", item.path("status").asText());
            assertEquals(batchId, item.path("batchId").asText());
            assertEquals(distributorId, item.path("distributorId").asText());
            assertEquals(sku, item.path("product").path("sku").asText());
            assertFalse(reply.body().contains(key) || reply.body().contains(key.replace("-", "")), "never the key itself");
        }
        var issued = byId(find("suffix=" + last5(keys.get(5))).json(), keyIds.get(5));
        assertEquals("ISSUED", issued.path("status").asText(), "a key nobody confirmed yet is found too");
        assertFalse(issued.has("distributorId"));
        var used = byId(find("suffix=" + last5(keys.get(0)) + "&status=USED&clientRfc=gode-561231-gr8").json(), keyIds.get(0));
        assertEquals(RFC, used.path("client").path("rfc").asText());
        assertEquals(0, find("suffix=" + last5(keys.get(0)) + "&status=AVAILABLE").json().path("items").size(), "narrowed by status");
    }

    @Test
    void a_batch_lists_its_keys_narrowed_by_status_distributor_client_and_product() {
        assertEquals(keyIds(0, 1, 2, 3, 4, 5), new HashSet<>(all("batchId=" + batchId)));
        assertEquals(keyIds(4, 5), new HashSet<>(all("batchId=" + batchId + "&status=ISSUED")));
        assertEquals(keyIds(3), new HashSet<>(all("batchId=" + batchId.toUpperCase() + "&status=void")));
        assertEquals(keyIds(0, 1, 2), new HashSet<>(all("batchId=" + batchId + "&distributorId=" + distributorId)));
        assertEquals(keyIds(0), new HashSet<>(all("batchId=" + batchId + "&clientRfc=" + RFC)));
        assertEquals(List.of(), all("batchId=" + batchId + "&product=SAE-12M"));
        assertEquals(List.of(), all("batchId=" + batchId + "&status=EXPIRED"), "the batch never expires");

        List<String> paged = all("batchId=" + batchId + "&limit=2");
        assertEquals(6, paged.size(), "two at a time, every key once: " + paged);
        assertEquals(keyIds(0, 1, 2, 3, 4, 5), new HashSet<>(paged));
    }

    @Test
    void a_distributors_keys_newest_first_narrowed_by_status_client_and_product() {
        assertEquals(keyIds(0, 1, 2), new HashSet<>(all("distributorId=" + distributorId)));
        assertEquals(List.of(keyIds.get(0)), all("distributorId=" + distributorId + "&status=USED"));
        assertEquals(List.of(keyIds.get(0)), all("distributorId=" + distributorId + "&clientRfc=" + RFC));
        assertEquals(keyIds(1, 2), new HashSet<>(all("distributorId=" + distributorId + "&status=AVAILABLE&product=" + sku)));
        assertEquals(List.of(), all("distributorId=" + distributorId + "&status=ISSUED"), "a distributor never holds an ISSUED key");
    }

    @Test
    void batches_come_newest_first_with_their_counts_a_page_at_a_time() {
        var first = admin.get("/v1/admin/key-batches?product=" + sku + "&limit=1");
        assertEquals(200, first.status(), first.body());
        JsonNode newest = first.json().path("items").get(0);
        assertEquals(batchId, newest.path("batchId").asText());
        assertEquals(6, newest.path("quantity").asInt());
        assertEquals(sku, newest.path("product").path("sku").asText());
        assertEquals(Map.of("ISSUED", 2, "AVAILABLE", 2, "USED", 1, "VOID", 1, "EXPIRED", 0), counts(newest));
        assertNotNull(newest.path("createdAt").asText(null));
        assertNotNull(newest.path("createdBy").asText(null));
        String cursor = first.json().path("nextCursor").asText();
        var second = admin.get("/v1/admin/key-batches?product=" + sku + "&limit=1&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        assertEquals(olderBatchId, second.json().path("items").get(0).path("batchId").asText());
        assertEquals(Map.of("ISSUED", 2, "AVAILABLE", 0, "USED", 0, "VOID", 0, "EXPIRED", 0), counts(second.json().path("items").get(0)));
        assertFalse(second.json().has("nextCursor"), "two batches of this product");

        var everyProduct = admin.get("/v1/admin/key-batches");
        assertEquals(200, everyProduct.status());
        List<String> createdAt = everyProduct.json().path("items").findValuesAsText("createdAt");
        List<String> sorted = new ArrayList<>(createdAt);
        sorted.sort(java.util.Comparator.reverseOrder());
        assertEquals(sorted, createdAt, "newest first");
        assertTrue(createdAt.size() <= 10, "10 a page unless asked");
        var wrongCursor = admin.get("/v1/admin/key-batches?product=SAE-12M&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        expect(wrongCursor, "CURSOR_INVALID", "cursor");
    }

    @Test
    void refusals_name_the_parameters_cursors_are_the_back_offices_and_distributors_are_refused() {
        int mark = changes.mark();
        expect(admin.get("/v1/admin/prepaid-keys"), "REQUEST_INVALID", "suffix", "batchId", "distributorId");
        expect(admin.get("/v1/admin/prepaid-keys?status=USED&product=SAE-12M"), "REQUEST_INVALID", "suffix", "batchId", "distributorId",
                "status", "product");
        expect(admin.get("/v1/admin/prepaid-keys?clientRfc=" + RFC), "REQUEST_INVALID", "suffix", "batchId", "distributorId", "clientRfc");
        for (String suffix : List.of("7Q2M", "7Q2MAB", "7Q2MU", "*****", "%25%25%25%25%25", "A".repeat(5_000), "7Q2M%00",
                "AAAAA,BBBBB", "%E2%80%8B7Q2MA")) {
            expect(admin.get("/v1/admin/prepaid-keys?suffix=" + suffix), "REQUEST_INVALID", "suffix");
        }
        expect(admin.get("/v1/admin/prepaid-keys?batchId=" + batchId + "x"), "REQUEST_INVALID", "batchId");
        expect(admin.get("/v1/admin/prepaid-keys?distributorId=DIST%23norte%23USED"), "REQUEST_INVALID", "distributorId");
        expect(admin.get("/v1/admin/prepaid-keys?distributorId=" + distributorId + "&clientRfc=" + "G".repeat(41)), "REQUEST_INVALID", "clientRfc");
        expect(admin.get("/v1/admin/prepaid-keys?batchId=" + batchId + "&status=ISSUED,PENDING"), "REQUEST_INVALID", "status");
        expect(admin.get("/v1/admin/prepaid-keys?batchId=" + batchId + "&limit=101"), "REQUEST_INVALID", "limit");
        expect(admin.get("/v1/admin/prepaid-keys?batchId=" + batchId + "&pepper=1&admin=true"), "REQUEST_INVALID", "pepper", "admin");
        expect(admin.get("/v1/admin/key-batches?limit=26&order=asc"), "REQUEST_INVALID", "limit", "order");

        String cursor = find("batchId=" + batchId + "&limit=2").json().path("nextCursor").asText();
        String tampered = cursor.substring(0, 12) + (cursor.charAt(12) == 'A' ? 'B' : 'A') + cursor.substring(13);
        expect(admin.get("/v1/admin/prepaid-keys?batchId=" + batchId + "&limit=2&cursor=" + tampered), "CURSOR_INVALID", "cursor");
        expect(admin.get("/v1/admin/prepaid-keys?batchId=" + batchId + "&status=ISSUED&cursor=" + cursor), "CURSOR_INVALID", "cursor");
        expect(admin.get("/v1/admin/prepaid-keys?batchId=" + batchId + "&cursor=" + "A".repeat(5_000)), "CURSOR_INVALID", "cursor");
        String distributorsCursor = distributor.get("/v1/prepaid-keys?limit=1").json().path("nextCursor").asText();
        expect(admin.get("/v1/admin/prepaid-keys?distributorId=" + distributorId + "&cursor=" + distributorsCursor), "CURSOR_INVALID", "cursor");
        var foreign = distributor.get("/v1/prepaid-keys?limit=1&cursor=" + cursor);
        assertEquals(404, foreign.status(), "the back office's cursor is nobody's on a distributor's list: " + foreign.body());

        for (String path : List.of("/v1/admin/prepaid-keys?suffix=" + last5(keys.get(1)), "/v1/admin/prepaid-keys?distributorId=" + distributorId,
                "/v1/admin/key-batches")) {
            var refused = distributor.get(path);
            assertEquals(403, refused.status(), path + ": " + refused.body());
            assertEquals("FORBIDDEN", refused.code());
            assertTrue(String.valueOf(refused.header("content-type")).startsWith("application/problem+json"));
        }
        // Nor is a key's end an oracle on the distributor's own list: it searches only what the distributor holds.
        var own = distributor.get("/v1/prepaid-keys?q=" + last5(keys.get(5)));
        assertEquals(200, own.status(), own.body());
        assertFalse(own.body().contains(keyIds.get(5)), "an ISSUED key nobody holds is not found by its end: " + own.body());
        assertEquals(List.of(), changes.since(mark), "searching wrote nothing");
    }

    private static Map<String, Integer> counts(JsonNode batch) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        batch.path("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return counts;
    }

    private static JsonNode byId(JsonNode page, String keyId) {
        for (JsonNode item : page.path("items")) if (item.path("keyId").asText().equals(keyId)) return item;
        return null;
    }

    private static void expect(ApiClient.Reply reply, String code, String... fields) {
        assertEquals(400, reply.status(), reply.body());
        assertEquals(code, reply.code(), reply.body());
        assertTrue(String.valueOf(reply.header("content-type")).startsWith("application/problem+json"), reply.body());
        Set<String> named = new LinkedHashSet<>();
        if (reply.json().hasNonNull("field")) named.add(reply.json().path("field").asText());
        reply.json().path("errors").forEach(error -> named.add(error.path("field").asText()));
        assertEquals(new LinkedHashSet<>(List.of(fields)), named, reply.body());
    }
}
