package mx.prepaidkeys.acceptance;

import mx.prepaidkeys.domain.UserId;
import mx.prepaidkeys.config.LocalLambdaContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import mx.prepaidkeys.activation.KeyListing;
import mx.prepaidkeys.activation.PageCursor;
import mx.prepaidkeys.domain.Activation;
import mx.prepaidkeys.domain.Assignment;
import mx.prepaidkeys.domain.Client;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.KeyFilter;
import mx.prepaidkeys.domain.KeyHasher;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.KeySort;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.domain.Voiding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GET /v1/prepaid-keys: "Claves prepago" with every filter, "Columnas", order, pages, counts by
 * status and the CSV export; only the caller's keys, ever.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListTest {
    private static final Product COI = new Product("COI-12M", "Aspel COI 10.0", "Contabilidad", 12,
            new License("2026.1", "Licencia COI", "https://vendor.example/licencias/coi/2026.1", "Texto"));
    private static final Instant NOW = Instant.now();
    private final InProcessFixture fixture = new InProcessFixture();
    /** dist-norte's keys as stored, by name. */
    private final Map<String, PrepaidKey> keys = new HashMap<>();
    private final SecureRandom random = new SecureRandom();

    @BeforeAll
    void seed() {
        List<PrepaidKey> all = new ArrayList<>();
        Instant january = Instant.parse("2026-01-01T18:00:00Z");
        for (int i = 0; i < 12; i++) all.add(put("sae" + i, held(InProcessFixture.PRODUCT, "dist-norte", january.plus(Duration.ofHours(i)), null)));
        for (int i = 0; i < 3; i++) {
            all.add(put("coi" + i, held(COI, "dist-norte", Instant.parse("2026-02-10T17:00:00Z").plusSeconds(i), Instant.parse("2030-01-01T06:00:00Z"))));
        }
        for (int i = 0; i < 2; i++) {
            all.add(put("expired" + i, held(InProcessFixture.PRODUCT, "dist-norte", Instant.parse("2026-01-15T18:00:00Z").plusSeconds(i),
                    NOW.minus(Duration.ofDays(1)))));
        }
        // Activated at 05:30 UTC on 1 March: still 28 February in Mexico City.
        all.add(put("cafe", used(held(COI, "dist-norte", Instant.parse("2026-03-01T05:30:00Z"), null), "GODE561231GR8", "Café Núñez, S.A.")));
        all.add(put("farmacia", used(held(InProcessFixture.PRODUCT, "dist-norte", Instant.parse("2026-03-02T18:00:00Z"), null), "XAXX010101000",
                "Farmacia del Norte")));
        all.add(put("formula", used(held(InProcessFixture.PRODUCT, "dist-norte", Instant.parse("2026-03-03T18:00:00Z"), null), "XEXX010101000",
                "=HYPERLINK(\"http://x\")")));
        PrepaidKey voidable = held(InProcessFixture.PRODUCT, "dist-norte", Instant.parse("2026-03-04T18:00:00Z"), null);
        all.add(put("void", voidable.voidWith(new Voiding("prueba", NOW, new UserId("admin"), "mesa@vendor.example"))));
        for (int i = 0; i < 3; i++) all.add(held(InProcessFixture.PRODUCT, "dist-sur", Instant.parse("2026-04-01T18:00:00Z").plusSeconds(i), null));
        fixture.repository().saveProduct(COI);
        fixture.repository().importKeys(all);
    }

    private PrepaidKey put(String name, PrepaidKey key) {
        keys.put(name, key);
        return key;
    }

    private PrepaidKey held(Product product, String distributor, Instant activatedAt, Instant expiresAt) {
        PrepaidKeyCode code = PrepaidKeyCode.generate(random);
        KeyId keyId = fixture.capture.getApplicationContext().getBean(KeyHasher.class).hash(code).keyId();
        return PrepaidKey.issued(keyId, code.masked(), product, null, expiresAt)
                .activate(new Activation(new DistributorId(distributor), activatedAt, new UserId("sub-" + distributor), "ops@" + distributor + ".example", null,
                        "2026.1", "10.0.0.1", "test"), activatedAt);
    }

    private static PrepaidKey used(PrepaidKey key, String rfc, String client) {
        return key.assign(key.distributorId(), new Assignment(new Client(rfc, client), key.activation().activatedAt().plusSeconds(60),
                new UserId("sub"), "ops@dist-norte.example", false), key.activation().activatedAt());
    }

    @Test
    void the_sample_event_lists_the_callers_keys_newest_first_with_counts() {
        var response = list(Map.of("limit", "100"));
        assertEquals(200, response.status(), response.raw());
        assertEquals(ids(newestFirst(keys.values())), ids(response.body()));
        assertNull(response.body().path("nextCursor").asText(null));
        assertCounts(response.body(), 15, 3, 2, 1);
        assertTrue(response.body().path("countsComplete").asBoolean());

        JsonNode row = byId(response.body(), keys.get("cafe").keyId().value());
        assertEquals("USED", row.path("status").asText());
        assertEquals("GODE561231GR8", row.path("clientRfc").asText());
        assertEquals("Café Núñez, S.A.", row.path("clientName").asText());
        assertEquals("COI-12M", row.path("product").path("sku").asText());
        assertTrue(row.path("maskedKey").asText().startsWith("*****-*****-*****-*****-"));
        assertEquals("EXPIRED", byId(response.body(), keys.get("expired0").keyId().value()).path("status").asText());

        var sample = fixture.invokeInProcess(fixture.list, Events.load("list.json"));
        assertEquals(keys.size(), sample.body().path("items").size());
    }

    @Test
    void the_status_filter_tells_available_from_expired_and_takes_several() {
        assertEquals(ids(newestFirst(select("sae", "coi"))), ids(list(Map.of("status", "AVAILABLE", "limit", "100")).body()));
        assertEquals(ids(newestFirst(select("expired"))), ids(list(Map.of("status", "EXPIRED")).body()));
        assertEquals(ids(newestFirst(select("cafe", "farmacia", "formula", "void"))), ids(list(Map.of("status", "USED,VOID")).body()));
        var english = fixture.invokeInProcess(fixture.list, Events.load("list-available.json"));
        assertEquals(10, english.body().path("items").size());
        assertCounts(english.body(), 15, 3, 2, 1);
    }

    @Test
    void the_product_filter_narrows_items_and_counts() {
        var coi = list(Map.of("product", "COI-12M"));
        assertEquals(ids(newestFirst(select("coi", "cafe"))), ids(coi.body()));
        assertCounts(coi.body(), 3, 1, 0, 0);
        var availableCoi = list(Map.of("product", "COI-12M", "status", "AVAILABLE"));
        assertEquals(ids(newestFirst(select("coi"))), ids(availableCoi.body()));
        assertCounts(availableCoi.body(), 3, 1, 0, 0);
    }

    @Test
    void the_client_filter_takes_an_rfc_or_the_start_of_a_name_without_case_or_accents() {
        var byRfc = list(Map.of("client", "gode-561231-gr8"));
        assertEquals(List.of(keys.get("cafe").keyId().value()), ids(byRfc.body()));
        assertCounts(byRfc.body(), 0, 1, 0, 0);
        assertEquals(List.of(keys.get("cafe").keyId().value()), ids(list(Map.of("client", "cafe nu")).body()));
        assertEquals(List.of(keys.get("cafe").keyId().value()), ids(list(Map.of("client", "CAFÉ NÚÑEZ")).body()));
        assertEquals(List.of(keys.get("farmacia").keyId().value()), ids(list(Map.of("client", "farm")).body()));
        assertEquals(List.of(), ids(list(Map.of("client", "farm", "status", "AVAILABLE")).body()), "only used keys have clients");
    }

    @Test
    void activation_dates_are_days_in_mexico_city() {
        var february = list(Map.of("activatedFrom", "2026-02-01", "activatedTo", "2026-02-28", "limit", "100"));
        assertEquals(ids(newestFirst(select("coi", "cafe"))), ids(february.body()), "05:30 UTC on 1 March is 28 February in Mexico City");
        assertCounts(february.body(), 3, 1, 0, 0);
        var oneDay = list(Map.of("activatedFrom", "2026-03-02", "activatedTo", "2026-03-02"));
        assertEquals(List.of(keys.get("farmacia").keyId().value()), ids(oneDay.body()));
    }

    @Test
    void the_key_suffix_search_finds_keys_by_their_last_characters() {
        PrepaidKey cafe = keys.get("cafe");
        String suffix = cafe.maskedKey().substring(cafe.maskedKey().length() - 4);
        var found = list(Map.of("q", suffix.toLowerCase()));
        assertTrue(ids(found.body()).contains(cafe.keyId().value()), found.raw());
        for (JsonNode item : found.body().path("items")) assertTrue(item.path("maskedKey").asText().endsWith(suffix));
        var whole = list(Map.of("q", cafe.maskedKey().substring(cafe.maskedKey().length() - 5), "status", "USED"));
        assertEquals(List.of(cafe.keyId().value()), ids(whole.body()));
        // one status alone, whose condition is itself a group (AVAILABLE: and not expired), with a search
        for (var filter : List.of(Map.of("q", suffix, "status", "AVAILABLE"), Map.of("q", suffix, "status", "EXPIRED"),
                Map.of("client", "caf", "status", "AVAILABLE"), Map.of("client", "caf", "status", "EXPIRED"))) {
            var response = list(filter);
            assertEquals(200, response.status(), filter + ": " + response.raw());
            assertFalse(ids(response.body()).contains(cafe.keyId().value()), "the used key is not " + filter.get("status"));
        }
    }

    @Test
    void columns_choose_what_each_row_shows() {
        var narrow = list(Map.of("fields", "maskedKey,status", "limit", "3"));
        for (JsonNode item : narrow.body().path("items")) {
            List<String> names = new ArrayList<>();
            item.fieldNames().forEachRemaining(names::add);
            assertEquals(List.of("keyId", "maskedKey", "status"), names);
        }
    }

    @Test
    void the_list_orders_by_activation_or_expiry_either_way() {
        assertEquals(ids(newestFirst(keys.values())).reversed(), ids(list(Map.of("sort", "activatedAt", "limit", "100")).body()));
        List<String> byExpiry = ids(list(Map.of("sort", "expiresAt", "status", "AVAILABLE,EXPIRED", "limit", "100")).body());
        assertEquals(Set.of(keys.get("expired0").keyId().value(), keys.get("expired1").keyId().value()), Set.copyOf(byExpiry.subList(0, 2)), "soonest first");
        assertEquals(Set.copyOf(ids(newestFirst(select("coi")))), Set.copyOf(byExpiry.subList(2, 5)));
        assertEquals(12, byExpiry.subList(5, byExpiry.size()).size(), "keys that never expire come last");
        List<String> latest = ids(list(Map.of("sort", "-expiresAt", "status", "AVAILABLE,EXPIRED", "limit", "100")).body());
        assertEquals(byExpiry.reversed(), latest);
    }

    @Test
    void pages_follow_the_cursor_to_the_end_without_gaps_or_repeats() {
        for (Map<String, String> filter : List.of(Map.<String, String>of(), Map.of("product", "SAE-12M"), Map.of("sort", "expiresAt"),
                Map.of("status", "AVAILABLE,USED"))) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                Map<String, String> query = new HashMap<>(filter);
                query.put("limit", "4");
                if (cursor != null) query.put("cursor", cursor);
                var response = list(query);
                assertEquals(200, response.status(), response.raw());
                seen.addAll(ids(response.body()));
                cursor = response.body().path("nextCursor").asText(null);
            } while (cursor != null);
            var all = new HashMap<>(filter);
            all.put("limit", "100");
            assertEquals(ids(list(all).body()), seen, filter.toString());
        }
    }

    @Test
    void a_cursor_edited_foreign_for_another_filter_or_stale_is_refused() {
        String cursor = list(Map.of("limit", "2")).body().path("nextCursor").asText();
        int at = cursor.length() - 3; // a symbol of the signature
        String edited = cursor.substring(0, at) + (cursor.charAt(at) == 'A' ? 'B' : 'A') + cursor.substring(at + 1);
        var otherAccount = Events.as(event(Map.of("limit", "2", "cursor", cursor)), "dist-sur", "beto@sur.example", null);
        PageCursor cursors = fixture.list.getApplicationContext().getBean(PageCursor.class);
        // a cursor is <format>.<secret version>.<position>. …
        String position = new String(Base64.getUrlDecoder().decode(cursor.split("\\.")[2]), StandardCharsets.UTF_8);
        String fingerprint = new KeyListing.Query(new KeyFilter(KeyListing.VISIBLE, null, null, null, null, null, null),
                KeySort.NEWEST_FIRST, 2, null).fingerprint();
        DistributorId norte = new DistributorId("dist-norte");
        String stale = cursors.encode(position, norte, fingerprint, Instant.now().minus(Duration.ofHours(25)));
        assertEquals(200, list(Map.of("limit", "2", "cursor", cursors.encode(position, norte, fingerprint, Instant.now()))).status());

        var foreign = fixture.invokeInProcess(fixture.list, otherAccount);
        assertEquals(404, foreign.status(), "another account's cursor is not found, like its key ids");
        assertEquals("NOT_FOUND", foreign.code());

        for (var event : List.of(event(Map.of("limit", "2", "cursor", edited)),
                event(Map.of("limit", "2", "status", "AVAILABLE", "cursor", cursor)), event(Map.of("cursor", "not-a-cursor")),
                event(Map.of("cursor", "3." + "A".repeat(1100))), event(Map.of("cursor", "3.e30.zz.ZGlzdC1zdXI.AAAA.AAAA")), event(Map.of("limit", "2", "cursor", stale)),
                event(Map.of("limit", "2", "cursor", "2.J09JyAiAT1SIE9SIDE9MSAtLQ.zz.AAAAAAAAAAAAAAAAAAAAAA")))) {
            var response = fixture.invokeInProcess(fixture.list, event);
            assertEquals(400, response.status(), response.raw());
            assertEquals("CURSOR_INVALID", response.code());
            assertEquals("cursor", response.body().path("field").asText());
        }
    }

    @Test
    void another_distributor_sees_only_its_own_keys() {
        var response = fixture.invokeInProcess(fixture.list, Events.as(Events.load("list.json"), "dist-sur", "beto@sur.example", null));
        List<String> ids = ids(response.body());
        assertEquals(3, ids.size());
        assertFalse(ids.stream().anyMatch(id -> keys.values().stream().anyMatch(k -> k.keyId().value().equals(id))));
        assertCounts(response.body(), 3, 0, 0, 0);
    }

    @Test
    void bad_parameters_are_refused_naming_them() {
        String[][] cases = {{"limit", "0"}, {"limit", "500"}, {"limit", "ten"}, {"status", "ISSUED"}, {"status", "AVAILABLE,NOPE"},
                {"sort", "asc"}, {"fields", "maskedKey,secret"}, {"activatedFrom", "2026-13-01"}, {"activatedTo", "ayer"},
                {"q", "ABCDEF"}, {"q", "U"}, {"product", "sae 12"}, {"client", ""}, {"nope", "1"}};
        for (String[] c : cases) {
            var response = list(Map.of(c[0], c[1]));
            assertEquals(400, response.status(), c[0] + "=" + c[1]);
            assertEquals("REQUEST_INVALID", response.code());
            assertEquals(c[0], response.body().path("field").asText(), c[0] + "=" + c[1]);
            assertTrue(response.body().path("detail").asText().contains(c[0]), response.raw());
        }
        var reversed = list(Map.of("activatedFrom", "2026-03-02", "activatedTo", "2026-03-01"));
        assertEquals("activatedFrom", reversed.body().path("field").asText());
        var sortWithName = list(Map.of("client", "cafe", "sort", "activatedAt"));
        assertEquals("sort", sortWithName.body().path("field").asText());
    }

    @Test
    void the_csv_export_has_every_matching_row_spanish_headers_and_intact_accents() throws Exception {
        var event = event(Map.of("fields", "maskedKey,status,clientName,activatedAt", "limit", "2"));
        event.getHeaders().put("accept", "text/csv");
        APIGatewayV2HTTPResponse response = fixture.list.handleRequest(event, new LocalLambdaContext("csv", "ListFunction"));
        assertEquals(200, response.getStatusCode());
        assertTrue(response.getHeaders().get("content-type").startsWith("text/csv"));
        assertTrue(response.getHeaders().get("content-disposition").matches("attachment; filename=\"claves-prepago-\\d{4}-\\d{2}-\\d{2}\\.csv\""));
        byte[] plain = response.getBody().getBytes(StandardCharsets.UTF_8);
        assertEquals("\uFEFF", response.getBody().substring(0, 1), "a byte order mark, so that Excel reads UTF-8");

        List<Map<String, String>> rows = parse(plain);
        assertEquals(keys.size(), rows.size(), "every matching row, not one page");
        assertEquals(List.of("Clave", "Estatus", "Cliente", "Fecha de activación"), List.copyOf(rows.getFirst().keySet()));
        assertTrue(rows.stream().anyMatch(row -> row.get("Cliente").equals("Café Núñez, S.A.")), "accents intact");
        assertTrue(rows.stream().anyMatch(row -> row.get("Estatus").equals("Disponible sin asignar")));
        assertTrue(rows.stream().anyMatch(row -> row.get("Estatus").equals("Utilizada")));
        assertTrue(rows.stream().anyMatch(row -> row.get("Cliente").equals("'=HYPERLINK(\"http://x\")")), "no formula reaches a spreadsheet");
        assertEquals("2026-02-28 23:30", rows.stream().filter(row -> row.get("Cliente").startsWith("Café")).findFirst().orElseThrow()
                .get("Fecha de activación"), "Mexico City time");

        event.getHeaders().put("accept-encoding", "gzip, deflate, br");
        APIGatewayV2HTTPResponse compressed = fixture.list.handleRequest(event, new LocalLambdaContext("csv-gzip", "ListFunction"));
        assertEquals("gzip", compressed.getHeaders().get("content-encoding"));
        assertTrue(compressed.getIsBase64Encoded());
        byte[] unzipped = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(compressed.getBody()))).readAllBytes();
        assertEquals(rows, parse(unzipped));
    }

    private static List<Map<String, String>> parse(byte[] csv) throws Exception {
        String text = new String(csv, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
                .with(mapper.schemaWithHeader()).readValues(text)) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    private List<PrepaidKey> select(String... prefixes) {
        return keys.entrySet().stream().filter(e -> Set.of(prefixes).stream().anyMatch(p -> e.getKey().startsWith(p)))
                .map(Map.Entry::getValue).toList();
    }

    private static List<PrepaidKey> newestFirst(java.util.Collection<PrepaidKey> keys) {
        return keys.stream().sorted(Comparator.comparing((PrepaidKey k) -> k.activation().activatedAt()).reversed()).toList();
    }

    private static List<String> ids(List<PrepaidKey> keys) {
        return keys.stream().map(k -> k.keyId().value()).toList();
    }

    private static List<String> ids(JsonNode body) {
        List<String> ids = new ArrayList<>();
        body.path("items").forEach(item -> ids.add(item.path("keyId").asText()));
        return ids;
    }

    private static JsonNode byId(JsonNode body, String keyId) {
        for (JsonNode item : body.path("items")) if (item.path("keyId").asText().equals(keyId)) return item;
        throw new AssertionError("no " + keyId);
    }

    private static void assertCounts(JsonNode body, int available, int used, int expired, int voided) {
        JsonNode counts = body.path("counts");
        assertEquals(List.of(available, used, expired, voided), List.of(counts.path("AVAILABLE").asInt(), counts.path("USED").asInt(),
                counts.path("EXPIRED").asInt(), counts.path("VOID").asInt()), counts.toString());
    }

    private InProcessFixture.Response list(Map<String, String> query) {
        return fixture.invokeInProcess(fixture.list, event(query));
    }

    private static APIGatewayV2HTTPEvent event(Map<String, String> query) {
        var event = Events.load("list.json");
        event.setQueryStringParameters(new HashMap<>(query));
        return event;
    }
}
