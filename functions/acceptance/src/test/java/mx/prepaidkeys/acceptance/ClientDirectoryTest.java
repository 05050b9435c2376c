package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * "Clientes": assignments fill the distributor's directory; a client is found by any word of the
 * name, whatever the accents and the case; the distributor keeps its name, email and notes; another
 * distributor sees none of it. Through the local gateway, with real tokens.
 */
class ClientDirectoryTest {
    private static final String ANA = "GODE561231GR8";
    private static final String SAT = "SAT970701NN3";

    private final TestStack stack = TestStack.get();
    private final ApiClient admin = stack.newUser(null);
    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final ApiClient owner = stack.newUser("dist-clients-" + suffix);
    private final ApiClient other = stack.newUser("dist-others-" + suffix);

    /** Keys of the owner's distributor, activated and waiting for a client. */
    private List<String> availableKeys(ApiClient user, int quantity) {
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":" + quantity + "}",
                "idempotency-key", UUID.randomUUID().toString());
        assertEquals(201, minted.status(), minted.body());
        List<String> ids = new ArrayList<>();
        for (JsonNode key : minted.json().path("keys")) {
            assertEquals(200, user.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", key.path("key").asText())).status());
            ids.add(key.path("keyId").asText());
        }
        return ids;
    }

    private void assign(ApiClient user, String keyId, String rfc, String name) {
        var assigned = user.post("/v1/prepaid-keys/" + keyId + "/assign",
                "{\"client\":{\"rfc\":\"" + rfc + "\",\"name\":\"" + name + "\"}}", "idempotency-key", UUID.randomUUID().toString());
        assertEquals(200, assigned.status(), assigned.body());
    }

    private static List<String> rfcs(ApiClient.Reply page) {
        assertEquals(200, page.status(), page.body());
        List<String> rfcs = new ArrayList<>();
        // an empty page has no "items"
        page.json().path("items").forEach(client -> rfcs.add(client.path("rfc").asText()));
        return rfcs;
    }

    @Test
    void assignments_fill_the_directory_and_any_word_of_the_name_finds_the_client() {
        List<String> keys = availableKeys(owner, 3);
        assign(owner, keys.get(0), ANA, "Ana Gómez");
        assign(owner, keys.get(1), ANA, "Ana Gómez");
        assign(owner, keys.get(2), SAT, "Servicio de Administración Tributaria");

        var all = owner.get("/v1/clients");
        assertEquals(List.of(ANA, SAT), rfcs(all));
        assertEquals(2, all.json().path("items").get(0).path("keyCount").asInt());
        assertEquals("Ana Gómez", all.json().path("items").get(0).path("name").asText());
        assertEquals(1, all.json().path("items").get(1).path("keyCount").asInt());

        assertEquals(List.of(ANA), rfcs(owner.get("/v1/clients?q=gomez")));
        assertEquals(List.of(ANA), rfcs(owner.get("/v1/clients?q=G%C3%93M")));
        assertEquals(List.of(ANA), rfcs(owner.get("/v1/clients?q=ana")));
        assertEquals(List.of(SAT), rfcs(owner.get("/v1/clients?q=tribut")));
        assertEquals(List.of(), rfcs(owner.get("/v1/clients?q=zz")));

        var one = owner.get("/v1/clients/" + ANA);
        assertEquals(200, one.status(), one.body());
        assertEquals(2, one.json().path("keyCount").asInt());

        var clientKeys = owner.get("/v1/clients/" + ANA + "/keys");
        assertEquals(200, clientKeys.status(), clientKeys.body());
        List<String> held = new ArrayList<>();
        clientKeys.json().path("items").forEach(key -> {
            held.add(key.path("keyId").asText());
            assertTrue(key.path("validUntil").asText().matches("\\d{4}-\\d{2}-\\d{2}"), "when each ends: " + key);
        });
        assertEquals(List.of(keys.get(0), keys.get(1)).stream().sorted().toList(), held.stream().sorted().toList());
    }

    @Test
    void the_distributor_keeps_name_email_and_notes_and_the_search_follows_the_name() {
        assign(owner, availableKeys(owner, 1).getFirst(), ANA, "Ana Gómez");

        var saved = owner.put("/v1/clients/" + ANA,
                "{\"name\":\"Ana María Pérez\",\"email\":\"ana@gomez.example\",\"notes\":\"Factura a fin de mes\"}");
        assertEquals(200, saved.status(), saved.body());
        var read = owner.get("/v1/clients/" + ANA).json();
        assertEquals("Ana María Pérez", read.path("name").asText());
        assertEquals("ana@gomez.example", read.path("email").asText());
        assertEquals("Factura a fin de mes", read.path("notes").asText());
        assertEquals(1, read.path("keyCount").asInt(), "an edit leaves the count alone");

        assertEquals(List.of(ANA), rfcs(owner.get("/v1/clients?q=perez")));
        assertEquals(List.of(ANA), rfcs(owner.get("/v1/clients?q=maria")));
        assertEquals(List.of(), rfcs(owner.get("/v1/clients?q=gomez")), "the old name's words are gone");

        var badEmail = owner.put("/v1/clients/" + ANA, "{\"name\":\"Ana\",\"email\":\"not an address\"}");
        assertEquals(400, badEmail.status(), badEmail.body());
        assertEquals("email", badEmail.json().path("field").asText());
        var badName = owner.put("/v1/clients/" + ANA, "{\"name\":\"Ana 🔨\"}");
        assertEquals(400, badName.status(), badName.body());
        assertEquals("name", badName.json().path("field").asText());
    }

    @Test
    void another_distributor_sees_none_of_it() {
        assign(owner, availableKeys(owner, 1).getFirst(), ANA, "Ana Gómez");

        assertEquals(List.of(), rfcs(other.get("/v1/clients")));
        assertEquals(List.of(), rfcs(other.get("/v1/clients?q=gomez")));
        assertEquals(404, other.get("/v1/clients/" + ANA).status());
        assertEquals(404, other.get("/v1/clients/" + ANA + "/keys").status());
        var put = other.put("/v1/clients/" + ANA, "{\"name\":\"Intrusa\"}");
        assertEquals(404, put.status(), put.body());
        assertEquals("Ana Gómez", owner.get("/v1/clients/" + ANA).json().path("name").asText());
    }

    @Test
    void a_search_too_short_or_made_of_junk_is_refused_naming_q() {
        for (String q : List.of("a", "%20.%20", "x%3B%20DROP", "ana%F0%9F%94%A8", "a".repeat(255))) {
            var refused = owner.get("/v1/clients?q=" + q);
            assertEquals(400, refused.status(), q + ": " + refused.body());
            assertEquals("q", refused.json().path("field").asText(), refused.body());
        }
        var notAnRfc = owner.get("/v1/clients/NOT-AN-RFC");
        assertEquals(404, notAnRfc.status(), notAnRfc.body());
        assertEquals("NOT_FOUND", notAnRfc.code());
    }
}
