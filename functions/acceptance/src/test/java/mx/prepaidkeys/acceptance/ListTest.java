package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.domain.Activation;
import mx.prepaidkeys.domain.ConfirmationEmail;
import mx.prepaidkeys.domain.KeyEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** GET /v1/prepaid-keys: "Claves prepago", newest activation first, a page at a time, only the caller's keys. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListTest {
    private static final String DISTRIBUTOR = "dist-norte";
    private final Fixture fixture = new Fixture();
    /** keyIds of dist-norte's keys, newest activation first. */
    private final List<String> newestFirst = new ArrayList<>();
    private String expiredKeyId;

    @BeforeAll
    void activateKeysAtKnownTimes() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 7; i++) {
            newestFirst.addFirst(activate(DISTRIBUTOR, start.plusSeconds(3600L * i), null));
        }
        // one that expired after it was activated: it reads EXPIRED, not AVAILABLE
        expiredKeyId = activate(DISTRIBUTOR, start.plusSeconds(3600L * 7), Instant.parse("2026-06-01T00:00:00Z"));
        newestFirst.addFirst(expiredKeyId);
        // another distributor's keys, newer than all of ours
        for (int i = 0; i < 3; i++) activate("dist-sur", start.plusSeconds(86_400L * 30 + i), null);
    }

    /** Activates a key at a given instant through the repository (the confirm path is tested elsewhere). */
    private String activate(String distributor, Instant at, Instant expiresAt) {
        String plain = PrepaidKeyCodes.fresh();
        String keyId = fixture.issue(plain, expiresAt);
        var key = fixture.key(keyId);
        var activation = new Activation(distributor, at, "sub-" + distributor, "ops@" + distributor + ".example", null,
                "2026.1", "10.0.0.1", "test");
        var email = new ConfirmationEmail(keyId, "ops@" + distributor + ".example", null, "es-MX", key.maskedKey(), key.productSku(),
                key.productName(), distributor, at, Fixture.PRODUCT.validUntil(at));
        fixture.repository().saveActivation(key.activate(activation, at), KeyEvent.activated(keyId, activation), email, at);
        return keyId;
    }

    @Test
    void the_sample_event_lists_the_callers_keys_newest_first() {
        var response = fixture.call(fixture.list, Events.load("list.json"));
        assertEquals(200, response.status(), response.raw());
        assertEquals(newestFirst, ids(response.body()));
        assertNull(response.body().path("nextCursor").asText(null));
        JsonNode first = response.body().path("items").get(1);
        assertEquals("AVAILABLE", first.path("status").asText());
        assertTrue(first.path("maskedKey").asText().startsWith("*****-*****-*****-*****-"));
        assertEquals("SAE-12M", first.path("product").path("sku").asText());
        assertEquals("Aspel SAE 9.0", first.path("product").path("name").asText());
        assertEquals("ops@dist-norte.example", first.path("activatedBy").asText());
        assertEquals("2026-01-01T06:00:00.000Z", first.path("activatedAt").asText());
        assertEquals("EXPIRED", response.body().path("items").get(0).path("status").asText());
    }

    @Test
    void pages_follow_the_cursor_to_the_end_without_gaps_or_repeats() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, String> query = new HashMap<>(Map.of("limit", "3"));
            if (cursor != null) query.put("cursor", cursor);
            var response = fixture.call(fixture.list, list(query));
            assertEquals(200, response.status(), response.raw());
            seen.addAll(ids(response.body()));
            cursor = response.body().path("nextCursor").asText(null);
            pages++;
        } while (cursor != null);
        assertEquals(newestFirst, seen);
        assertEquals(3, pages);
    }

    @Test
    void the_status_filter_tells_available_from_expired() {
        var available = fixture.call(fixture.list, Events.load("list-available.json"));
        assertEquals(200, available.status(), available.raw());
        assertEquals(newestFirst.subList(1, newestFirst.size()), ids(available.body()));
        var expired = fixture.call(fixture.list, list(Map.of("status", "EXPIRED")));
        assertEquals(List.of(expiredKeyId), ids(expired.body()));
        var used = fixture.call(fixture.list, list(Map.of("status", "USED,VOID")));
        assertEquals(List.of(), ids(used.body()));
    }

    @Test
    void a_cursor_edited_taken_to_another_account_or_another_filter_is_refused() {
        String cursor = fixture.call(fixture.list, list(Map.of("limit", "2"))).body().path("nextCursor").asText();
        int at = cursor.length() - 3; // a symbol that carries signature bits only
        String edited = cursor.substring(0, at) + (cursor.charAt(at) == 'A' ? 'B' : 'A') + cursor.substring(at + 1);
        var otherAccount = Events.as(list(Map.of("limit", "2", "cursor", cursor)), "dist-sur", "beto@sur.example", null);

        for (var event : List.of(list(Map.of("limit", "2", "cursor", edited)), otherAccount,
                list(Map.of("limit", "2", "status", "AVAILABLE", "cursor", cursor)), list(Map.of("cursor", "not-a-cursor")),
                list(Map.of("cursor", "1." + "A".repeat(600))))) {
            var response = fixture.call(fixture.list, event);
            assertEquals(400, response.status(), response.raw());
            assertEquals("CURSOR_INVALID", response.code());
            assertEquals("cursor", response.body().path("field").asText());
        }
    }

    @Test
    void another_distributor_sees_only_its_own_keys() {
        var response = fixture.call(fixture.list, Events.as(Events.load("list.json"), "dist-sur", "beto@sur.example", null));
        List<String> ids = ids(response.body());
        assertEquals(3, ids.size());
        assertFalse(ids.stream().anyMatch(newestFirst::contains));
    }

    @Test
    void bad_parameters_are_refused_naming_them() {
        String[][] cases = {{"limit", "0"}, {"limit", "101"}, {"limit", "ten"}, {"status", "ISSUED"}, {"status", "AVAILABLE,NOPE"},
                {"sort", "asc"}};
        for (String[] c : cases) {
            var response = fixture.call(fixture.list, list(Map.of(c[0], c[1])));
            assertEquals(400, response.status(), c[0] + "=" + c[1]);
            assertEquals("REQUEST_INVALID", response.code());
            assertEquals(c[0], response.body().path("field").asText());
            assertTrue(response.body().path("detail").asText().contains(c[0]), response.raw());
        }
    }

    private static APIGatewayV2HTTPEvent list(Map<String, String> query) {
        var event = Events.load("list.json");
        event.setQueryStringParameters(new HashMap<>(query));
        return event;
    }

    private static List<String> ids(JsonNode body) {
        List<String> ids = new ArrayList<>();
        body.path("items").forEach(item -> ids.add(item.path("keyId").asText()));
        return ids;
    }
}
