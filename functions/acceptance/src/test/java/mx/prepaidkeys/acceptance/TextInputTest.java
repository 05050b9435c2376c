package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Text people read, written by people: every human-readable field refuses what would be stored
 * and shown but not seen, or seen as something else (fillers, joiners, variation selectors, tag
 * characters, stacked accents, full-width letters, Cyrillic look-alikes inside a Latin word), and
 * RFCs take only ASCII letters and digits, Ñ and &amp;. Each case is sent where it would otherwise be
 * accepted (an available key of the caller's own), and is refused with 400 naming its field.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TextInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestStack stack = TestStack.get();
    private final ApiClient admin = stack.newUser(null);
    private final ApiClient distributor = stack.newUser("dist-x-" + UUID.randomUUID().toString().substring(0, 6));

    /** Client names that look like a name and are not one. */
    static Map<String, String> badNames() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("a Hangul filler (U+3164)", "Ana\u3164López");
        names.put("a Hangul choseong filler (U+115F)", "\u115FTelmex");
        names.put("a Hangul jungseong filler (U+1160)", "Tel\u1160mex");
        names.put("a halfwidth Hangul filler (U+FFA0)", "Telmex\uFFA0");
        names.put("a combining grapheme joiner (U+034F)", "Tel\u034Fmex");
        names.put("a variation selector (U+FE0F)", "Telmex\uFE0F S.A.");
        names.put("an ideographic variation selector (U+E0100)", "Tel" + new String(Character.toChars(0xE0100)) + "mex");
        names.put("a tag character (U+E0041)", "Telmex" + new String(Character.toChars(0xE0041)));
        names.put("200 stacked accents", "Te" + "\u0301".repeat(200) + "lmex");
        names.put("full-width letters", "Ｔｅｌｍｅｘ");
        names.put("a Cyrillic е inside a Latin word", "T\u0435lmex");
        names.put("a Greek ο inside a Latin word", "Telmex Cl\u03BFud");
        return names;
    }

    /** RFCs whose date is written with digits that are not ASCII. */
    static Map<String, String> badRfcs() {
        Map<String, String> rfcs = new LinkedHashMap<>();
        rfcs.put("Arabic-Indic digits", "GODE\u0665\u0666\u0661\u0662\u0663\u0661GR8");
        rfcs.put("full-width digits", "GODE５６１２３１GR8");
        rfcs.put("Devanagari digits", "GODE\u096B\u096C\u0967\u0968\u0969\u0967GR8");
        rfcs.put("a dotless ı that upper-cases to I", "GOD\u0131561231GR8");
        return rfcs;
    }

    @Test
    void every_text_case_is_refused_naming_its_field() {
        Map<String, String> names = badNames();
        Map<String, String> rfcs = badRfcs();
        List<String> keyIds = availableKeys(names.size() + 2 * rfcs.size());
        List<String> failures = new ArrayList<>();
        int k = 0;
        for (var name : names.entrySet()) {
            String assign = "/v1/prepaid-keys/" + keyIds.get(k++) + "/assign";
            check(failures, "client.name with " + name.getKey(), "client.name", () -> distributor.post(assign,
                    json(Map.of("client", Map.of("rfc", "GODE561231GR8", "name", name.getValue())))));
        }
        for (var rfc : rfcs.entrySet()) {
            for (boolean confirm : new boolean[] {false, true}) {
                String assign = "/v1/prepaid-keys/" + keyIds.get(k++) + "/assign";
                String what = "client.rfc with " + rfc.getKey() + (confirm ? ", confirmed" : "");
                check(failures, what, "client.rfc", () -> {
                    var reply = distributor.post(assign,
                            json(Map.of("client", Map.of("rfc", rfc.getValue(), "name", "Eduardo Gómez"), "confirmRfc", confirm)));
                    if (reply.status() == 400 && !"CLIENT_RFC_INVALID".equals(reply.code())) {
                        failures.add(what + ": " + reply.code() + " instead of CLIENT_RFC_INVALID");
                    }
                    return reply;
                });
            }
        }
        String filler = names.get("a combining grapheme joiner (U+034F)");
        check(failures, "the client filter", "client", () ->
                distributor.get("/v1/prepaid-keys?client=" + URLEncoder.encode(filler, StandardCharsets.UTF_8)));

        String sku = "TXT-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        Map<String, Object> license = new LinkedHashMap<>(Map.of("version", "1", "title", "Licencia", "url", "https://vendor.example/l/1",
                "text", "Texto de la licencia."));
        Map<String, Object> product = new LinkedHashMap<>(Map.of("name", "Producto", "description", "Descripción", "termMonths", 12,
                "license", license));
        check(failures, "name", "name", () -> admin.put("/v1/admin/products/" + sku, json(with(product, "name", "Ｐｒｏｄｕｃｔｏ"))));
        check(failures, "description", "description", () ->
                admin.put("/v1/admin/products/" + sku, json(with(product, "description", "Contabilidad\u3164integral"))));
        check(failures, "license.title", "license.title", () -> admin.put("/v1/admin/products/" + sku,
                json(with(product, "license", with(license, "title", "Licencia\uFE0F")))));
        check(failures, "license.text", "license.text", () -> admin.put("/v1/admin/products/" + sku,
                json(with(product, "license", with(license, "text", "Cláusula 1." + new String(Character.toChars(0xE0020)) + "\nCláusula 2.")))));
        check(failures, "note", "note", () -> admin.post("/v1/admin/key-batches",
                json(Map.of("productSku", "SAE-12M", "quantity", 1, "note", "Pedido\u115F 12"))));
        check(failures, "reason", "reason", () -> admin.post("/v1/admin/prepaid-keys/" + keyIds.getFirst() + "/void",
                json(Map.of("reason", "Devolucio" + "\u0301".repeat(200) + "n"))));

        assertEquals(List.of(), failures, failures.size() + " text cases were not refused");
        System.out.printf("text input: %d client names, %d RFCs (with and without confirmRfc), the client filter and 6 back-office "
                + "texts with invisible, stacked, full-width or look-alike characters: all refused naming the field%n", names.size(), rfcs.size());
    }

    private static void check(List<String> failures, String what, String field, java.util.function.Supplier<ApiClient.Reply> send) {
        ApiClient.Reply reply;
        try {
            reply = send.get();
        } catch (AssertionError contractBroken) {
            failures.add(what + ": " + contractBroken.getMessage().lines().findFirst().orElse(""));
            return;
        }
        if (reply.status() != 400) {
            failures.add(what + ": " + reply.status() + " " + reply.body());
            return;
        }
        Set<String> named = new LinkedHashSet<>();
        if (reply.json().hasNonNull("field")) named.add(reply.json().path("field").asText());
        reply.json().path("errors").forEach(error -> named.add(error.path("field").asText()));
        if (!named.contains(field)) failures.add(what + ": does not name " + field + " (names " + named + ")");
    }

    /** Keys confirmed by the caller and still available: where an assign would be accepted. */
    private List<String> availableKeys(int count) {
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":" + count + "}", "idempotency-key", java.util.UUID.randomUUID().toString());
        assertEquals(201, minted.status(), minted.body());
        List<String> ids = new ArrayList<>();
        for (var key : minted.json().path("keys")) {
            assertEquals(200, distributor.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", key.path("key").asText())).status());
            ids.add(key.path("keyId").asText());
        }
        return ids;
    }

    private static Map<String, Object> with(Map<String, Object> object, String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(object);
        copy.put(field, value);
        return copy;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
