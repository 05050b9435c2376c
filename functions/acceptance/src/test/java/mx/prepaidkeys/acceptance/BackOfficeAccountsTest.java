package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import mx.prepaidkeys.local.DevStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The back office's distributor accounts through the local gateway: an admin records a distributor,
 * lists and reads it; suspending it stops its users' captures, confirms and assigns with 403
 * {@code ACCOUNT_SUSPENDED} and writes nothing (not even an attempt slot), while their reads go on;
 * reactivating it gives everything back. A distributor's user reads its own account's name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackOfficeAccountsTest {
    private static final String RFC = "DOR0101014N8";
    private final TestStack stack = TestStack.get();
    private final ApiClient admin = stack.newUser(null);
    private final String distributorId = "dist-acc-" + UUID.randomUUID().toString().substring(0, 6);
    private final ApiClient ana = stack.newUser(distributorId);
    private final ApiClient carlos = stack.newUser(distributorId);
    private final TableChanges changes = new TableChanges(stack, DevStack.TABLE);

    private String account(String name, String status) {
        return "{\"name\":\"" + name + "\",\"rfc\":\"" + RFC + "\",\"contactEmail\":\"compras@oriente.example\",\"status\":\"" + status + "\"}";
    }

    private ApiClient.Reply save(String id, String body) {
        return admin.put("/v1/admin/distributors/" + id, body);
    }

    @Test
    void an_admin_creates_updates_reads_and_lists_a_distributor_and_its_user_reads_its_name() {
        var before = ana.get("/v1/account");
        assertEquals(200, before.status(), before.body());
        assertEquals(distributorId, before.json().path("distributorId").asText());
        assertEquals(null, before.json().path("name").asText(null), "no name before the back office records it: " + before.body());
        assertEquals("ACTIVE", before.json().path("status").asText());

        var created = save(distributorId, account("Distribuidora Oriente", "ACTIVE"));
        assertEquals(201, created.status(), created.body());
        var updated = save(distributorId, account("Distribuidora Oriente del Golfo", "ACTIVE").replace(RFC, "dor-010101-4n8"));
        assertEquals(200, updated.status(), updated.body());
        assertEquals(RFC, updated.json().path("rfc").asText(), "the RFC is stored normalised");

        var read = admin.get("/v1/admin/distributors/" + distributorId);
        assertEquals(200, read.status(), read.body());
        assertEquals("Distribuidora Oriente del Golfo", read.json().path("name").asText());
        assertEquals("compras@oriente.example", read.json().path("contactEmail").asText());
        assertEquals("ACTIVE", read.json().path("status").asText());
        assertTrue(read.json().path("updatedBy").asText().startsWith("t"), "who saved it, by username: " + read.body());
        assertTrue(read.json().hasNonNull("updatedAt"));

        var own = ana.get("/v1/account");
        assertEquals("Distribuidora Oriente del Golfo", own.json().path("name").asText());

        // the list, a page at a time, holds the demo distributors and this one, in id order
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 100; page++) {
            var reply = admin.get("/v1/admin/distributors?limit=2"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            assertEquals(200, reply.status(), reply.body());
            reply.json().path("items").forEach(item -> ids.add(item.path("distributorId").asText()));
            cursor = reply.json().path("nextCursor").asText(null);
            if (cursor == null) break;
        }
        assertTrue(ids.containsAll(List.of("dist-norte", "dist-sur", distributorId)), ids.toString());
        assertEquals(ids.stream().sorted().toList(), ids, "in id order");
        assertEquals(ids.stream().distinct().count(), ids.size(), "each once");

        var unknown = admin.get("/v1/admin/distributors/dist-nobody-" + UUID.randomUUID().toString().substring(0, 6));
        assertEquals(404, unknown.status());
        assertEquals("NOT_FOUND", unknown.code());
    }

    @Test
    void a_save_names_each_field_it_refuses_and_writes_nothing() {
        String id = "dist-bad-" + UUID.randomUUID().toString().substring(0, 6);
        // the notifier's own writes (the seed's and other tests' emails) are not this test's
        stack.awaitStreamIdle(Duration.ofSeconds(60));
        int mark = changes.mark();
        record Bad(String body, String field) {}
        for (Bad bad : List.of(
                new Bad(account("Ferretería 🔨", "ACTIVE"), "name"),
                new Bad(account("Distribuidora Oriente", "ACTIVE").replace(RFC, "DOR0101014N9"), "rfc"),
                new Bad(account("Distribuidora Oriente", "ACTIVE").replace(RFC, "DOR٠١٠١٠١4N8"), "rfc"),
                new Bad(account("Distribuidora Oriente", "ACTIVE").replace("compras@oriente.example", "compras"), "contactEmail"),
                new Bad(account("Distribuidora Oriente", "PAUSED"), "status"),
                new Bad("{\"name\":\"Distribuidora Oriente\",\"rfc\":\"" + RFC + "\",\"status\":\"ACTIVE\"}", "contactEmail"))) {
            var refused = save(id, bad.body());
            assertEquals(400, refused.status(), bad.body() + ": " + refused.body());
            assertEquals("REQUEST_INVALID", refused.code());
            assertEquals(bad.field(), refused.json().path("field").asText(), refused.body());
        }
        var badId = save("dist%23norte", account("Distribuidora Oriente", "ACTIVE"));
        assertEquals(400, badId.status(), badId.body());
        assertEquals("distributorId", badId.json().path("field").asText());
        assertEquals(List.of(), changes.since(mark));
        assertEquals(404, admin.get("/v1/admin/distributors/" + id).status());
    }

    @Test
    void a_suspended_distributors_users_cannot_capture_confirm_or_assign_and_get_it_all_back_when_reactivated() {
        assertEquals(201, save(distributorId + "-s", account("Distribuidora Suspendida", "ACTIVE")).status());
        String suspendedId = distributorId + "-s";
        ApiClient user = stack.newUser(suspendedId);
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":3}", "idempotency-key", UUID.randomUUID().toString());
        assertEquals(201, minted.status(), minted.body());
        var keys = minted.json().path("keys");
        String held = keys.get(0).path("key").asText();
        String heldId = keys.get(0).path("keyId").asText();
        String fresh = keys.get(1).path("key").asText();
        assertEquals(200, user.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", held)).status());
        stack.awaitEmailsSettled(List.of(heldId), Duration.ofSeconds(30));

        var suspended = save(suspendedId, account("Distribuidora Suspendida", "SUSPENDED"));
        assertEquals(200, suspended.status(), suspended.body());
        assertEquals("SUSPENDED", suspended.json().path("status").asText());
        String assign = "{\"client\":{\"rfc\":\"GODE561231GR8\",\"name\":\"Eduardo Gómez Díaz\"}}";
        stack.awaitStreamIdle(Duration.ofSeconds(60));
        int mark = changes.mark();
        for (var refused : List.of(
                user.post("/v1/prepaid-keys/capture", GuessingTest.body("capture", fresh)),
                user.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", fresh)),
                user.post("/v1/prepaid-keys/" + heldId + "/assign", assign),
                user.send("POST", "/v1/prepaid-keys/capture", GuessingTest.body("capture", fresh), "accept-language", "en"))) {
            assertEquals(403, refused.status(), refused.body());
            assertEquals("ACCOUNT_SUSPENDED", refused.code());
            assertTrue(refused.header("content-type").startsWith("application/problem+json"));
        }
        var english = user.send("POST", "/v1/prepaid-keys/capture", GuessingTest.body("capture", fresh), "accept-language", "en");
        assertEquals("Account suspended", english.json().path("title").asText());
        var spanish = user.send("POST", "/v1/prepaid-keys/capture", GuessingTest.body("capture", fresh), "accept-language", "es-MX");
        assertEquals("Cuenta suspendida", spanish.json().path("title").asText());
        assertEquals(List.of(), changes.since(mark), "a suspended account's requests wrote nothing, not even an attempt slot");
        // reads still work
        assertEquals(200, user.get("/v1/prepaid-keys").status());
        var history = user.get("/v1/prepaid-keys/" + heldId);
        assertEquals(200, history.status());
        assertEquals("AVAILABLE", history.json().path("key").path("status").asText());
        assertEquals("SUSPENDED", user.get("/v1/account").json().path("status").asText());
        // another distributor is not affected
        assertEquals(200, ana.post("/v1/prepaid-keys/capture", GuessingTest.body("capture", keys.get(2).path("key").asText())).status());

        assertEquals(200, save(suspendedId, account("Distribuidora Suspendida", "ACTIVE")).status());
        assertEquals(200, user.post("/v1/prepaid-keys/capture", GuessingTest.body("capture", fresh)).status());
        var confirmed = user.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", fresh));
        assertEquals(200, confirmed.status(), confirmed.body());
        var assigned = user.post("/v1/prepaid-keys/" + heldId + "/assign", assign);
        assertEquals(200, assigned.status(), assigned.body());
        assertEquals("USED", assigned.json().path("status").asText(), assigned.body());
        stack.awaitEmailsSettled(List.of(keys.get(1).path("keyId").asText()), Duration.ofSeconds(30));
    }

    @Test
    void a_distributors_users_are_listed_from_the_user_pool_and_no_one_elses() {
        var norte = admin.get("/v1/admin/distributors/dist-norte/users");
        assertEquals(200, norte.status(), norte.body());
        List<String> names = new ArrayList<>();
        norte.json().path("items").forEach(u -> names.add(u.path("username").asText()));
        // other tests (the desk's) make users of dist-norte too: the demo ones are there, the other distributor's are not
        assertTrue(names.containsAll(List.of("ana.lopez", "carlos.mendez")), names.toString());
        assertTrue(!names.contains("beatriz.soto"), "dist-sur's user is not dist-norte's: " + names);
        assertEquals(names.stream().sorted().toList(), names, "by username");
        var ana = norte.json().path("items").get(names.indexOf("ana.lopez"));
        assertEquals("ana.lopez@distribuidora-norte.example", ana.path("email").asText());
        assertEquals("distributors", ana.path("group").asText());
        assertTrue(ana.path("enabled").asBoolean());
        assertEquals("CONFIRMED", ana.path("status").asText());

        var own = admin.get("/v1/admin/distributors/" + distributorId + "/users");
        assertEquals(200, own.status(), own.body());
        assertEquals(2, own.json().path("items").size(), "this test's two users: " + own.body());
        own.json().path("items").forEach(u -> assertTrue(u.path("email").asText().endsWith("@" + distributorId + ".example"), u.toString()));
        var nobody = admin.get("/v1/admin/distributors/dist-nobody/users");
        assertEquals(200, nobody.status());
        assertTrue(nobody.json().path("items").isEmpty(), nobody.body());
        assertEquals(404, admin.get("/v1/admin/distributors/dist%23norte/users").status(), "a malformed id is not found");
    }

    @Test
    void a_user_locked_by_failed_guesses_is_listed_and_lifting_the_lock_lets_them_capture_again() {
        String id = distributorId + "-l";
        ApiClient guesser = stack.newUser(id);
        for (int i = 0; i < 10; i++) {
            var failed = guesser.post("/v1/prepaid-keys/capture", GuessingTest.body("capture", PrepaidKeyCodes.fresh()));
            assertEquals(422, failed.status(), failed.body());
        }
        var locked = guesser.post("/v1/prepaid-keys/capture", GuessingTest.body("capture", PrepaidKeyCodes.fresh()));
        assertEquals(429, locked.status(), locked.body());

        var lock = lockOf(id);
        assertTrue(lock != null, "the locked user is listed");
        assertEquals("USER", lock.path("scope").asText());
        assertTrue(lock.path("username").asText().startsWith("t"), lock.toString());
        String until = lock.path("lockedUntil").asText();
        long wait = java.time.Duration.between(java.time.Instant.now(), java.time.Instant.parse(until)).toSeconds();
        assertTrue(wait > 14 * 60 && wait <= 15 * 60, "until the oldest failure leaves the 15-minute window: " + until);
        assertEquals(locked.json().path("lockScope").asText(), lock.path("scope").asText());

        String userId = lock.path("userId").asText();
        var lifted = admin.send("DELETE", "/v1/admin/lockouts/" + userId, null);
        assertEquals(204, lifted.status(), lifted.body());
        assertEquals(null, lockOf(id), "no longer listed");
        var again = guesser.post("/v1/prepaid-keys/capture", GuessingTest.body("capture", PrepaidKeyCodes.fresh()));
        assertEquals(422, again.status(), "evaluated again, not locked: " + again.body());
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":1}", "idempotency-key", UUID.randomUUID().toString());
        var captured = guesser.post("/v1/prepaid-keys/capture", GuessingTest.body("capture", minted.json().path("keys").get(0).path("key").asText()));
        assertEquals(200, captured.status(), captured.body());

        var none = admin.send("DELETE", "/v1/admin/lockouts/" + userId, null);
        assertEquals(404, none.status(), "a user without a lock: " + none.body());
        assertEquals("NOT_FOUND", none.code());
        assertEquals(403, guesser.get("/v1/admin/lockouts").status());
    }

    /** The lock of the distributor's user in the back office's list, or null. */
    private com.fasterxml.jackson.databind.JsonNode lockOf(String distributor) {
        var list = admin.get("/v1/admin/lockouts");
        assertEquals(200, list.status(), list.body());
        for (var item : list.json().path("items")) {
            if (item.path("distributorId").asText().equals(distributor) && item.path("scope").asText().equals("USER")) return item;
        }
        return null;
    }

    @Test
    void every_back_office_write_appends_one_audit_entry_with_its_actor_and_a_replay_or_a_refusal_none() {
        // an admin of this test's own: the log is read by actor, and the other tests write as the class's admin
        ApiClient admin = stack.newUser(null);
        var claims = claims(admin);
        String sku = "AUD-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase().replaceAll("[^A-Z0-9]", "X");
        String product = "{\"name\":\"Aspel AUD 1.0\",\"description\":\"Auditoría\",\"termMonths\":12,\"license\":{\"version\":\"2026.1\","
                + "\"title\":\"Licencia de uso de Aspel AUD\",\"url\":\"https://vendor.example/l/aud\",\"text\":\"El uso de Aspel AUD se rige por esta licencia.\"}}";
        String productKey = UUID.randomUUID().toString();
        assertEquals(201, admin.put("/v1/admin/products/" + sku, product, "idempotency-key", productKey).status());
        var replay = admin.put("/v1/admin/products/" + sku, product, "idempotency-key", productKey);
        assertEquals("true", replay.header("idempotent-replayed"), "a replay: " + replay.body());
        assertEquals(400, admin.put("/v1/admin/products/" + sku, "{}").status(), "a refused write");
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"" + sku + "\",\"quantity\":3}", "idempotency-key", UUID.randomUUID().toString());
        assertEquals(201, minted.status(), minted.body());
        String batchId = minted.json().path("batchId").asText();
        String keyId = minted.json().path("keys").get(0).path("keyId").asText();
        String confirmedId = minted.json().path("keys").get(1).path("keyId").asText();
        assertEquals(200, ana.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", minted.json().path("keys").get(1).path("key").asText())
                ).status());
        stack.awaitEmailsSettled(List.of(confirmedId), Duration.ofSeconds(30));
        assertEquals(200, admin.post("/v1/admin/prepaid-keys/" + keyId + "/void", "{\"reason\":\"Auditoría\"}").status());
        assertEquals(202, admin.post("/v1/admin/prepaid-keys/" + confirmedId + "/resend-email", "{}").status());
        assertEquals(200, admin.post("/v1/admin/key-batches/" + batchId + "/void", "{\"reason\":\"Auditoría\"}").status());
        String audited = distributorId + "-a";
        assertEquals(201, admin.put("/v1/admin/distributors/" + audited, account("Distribuidora Auditada", "ACTIVE")).status());
        ApiClient guesser = stack.newUser(audited);
        for (int i = 0; i < 10; i++) guesser.post("/v1/prepaid-keys/capture", GuessingTest.body("capture", PrepaidKeyCodes.fresh()));
        String userId = claims(guesser).path("sub").asText();
        assertEquals(204, admin.send("DELETE", "/v1/admin/lockouts/" + userId, null).status());

        var page = admin.get("/v1/admin/audit?actor=" + claims.path("cognito:username").asText());
        assertEquals(200, page.status(), page.body());
        List<String> seen = new ArrayList<>();
        page.json().path("items").forEach(e -> seen.add(e.path("action").asText() + " " + e.path("target").asText()));
        assertEquals(List.of("LOCK_LIFTED " + userId, "DISTRIBUTOR_SAVED " + audited, "BATCH_VOIDED " + batchId, "EMAIL_RESENT " + confirmedId,
                "KEY_VOIDED " + keyId, "BATCH_MINTED " + batchId, "PRODUCT_SAVED " + sku), seen, "newest first, one each: " + page.body());
        var entry = page.json().path("items").get(0);
        assertEquals(claims.path("sub").asText(), entry.path("actorSub").asText());
        assertEquals(claims.path("cognito:username").asText(), entry.path("actorUsername").asText());
        assertTrue(entry.path("requestId").asText().length() > 5, entry.toString());

        // two at a time, following the cursors: the same entries in the same order
        List<String> paged = new ArrayList<>();
        String cursor = null;
        for (int i = 0; i < 10; i++) {
            var reply = admin.get("/v1/admin/audit?limit=2&actor=" + claims.path("cognito:username").asText()
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            assertEquals(200, reply.status(), reply.body());
            reply.json().path("items").forEach(e -> paged.add(e.path("action").asText() + " " + e.path("target").asText()));
            cursor = reply.json().path("nextCursor").asText(null);
            if (cursor == null) break;
        }
        assertEquals(seen, paged, "paged alike");
        var foreignCursor = admin.get("/v1/admin/audit?limit=2&action=KEY_VOIDED&cursor="
                + java.net.URLEncoder.encode(admin.get("/v1/admin/audit?limit=2&actor=" + claims.path("cognito:username").asText())
                        .json().path("nextCursor").asText(), StandardCharsets.UTF_8));
        assertEquals(400, foreignCursor.status(), "a cursor of another filter: " + foreignCursor.body());
        assertEquals("CURSOR_INVALID", foreignCursor.code());

        var minting = admin.get("/v1/admin/audit?limit=1&action=BATCH_MINTED&actor=" + claims.path("sub").asText());
        assertEquals(1, minting.json().path("items").size(), minting.body());
        assertEquals("BATCH_MINTED " + batchId, minting.json().path("items").get(0).path("action").asText() + " "
                + minting.json().path("items").get(0).path("target").asText());
        var tooLong = admin.get("/v1/admin/audit?from=2025-01-01&to=2026-12-01");
        assertEquals(400, tooLong.status());
        assertEquals("from", tooLong.json().path("field").asText());
        assertEquals(403, ana.get("/v1/admin/audit").status());
    }

    /** The claims of the client's ID token, as the API reads them. */
    private static com.fasterxml.jackson.databind.JsonNode claims(ApiClient client) {
        String payload = client.token().split("\\.")[1];
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(java.util.Base64.getUrlDecoder().decode(payload));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void a_distributor_is_refused_the_account_routes_of_the_back_office() {
        for (var refused : List.of(ana.get("/v1/admin/distributors"), ana.get("/v1/admin/distributors/" + distributorId),
                ana.put("/v1/admin/distributors/" + distributorId, account("Mía", "ACTIVE")))) {
            assertEquals(403, refused.status(), refused.body());
            assertEquals("FORBIDDEN", refused.code());
        }
        var asAdmin = admin.get("/v1/account");
        assertEquals(403, asAdmin.status(), "an admin has no distributor account: " + asAdmin.body());
    }
}
