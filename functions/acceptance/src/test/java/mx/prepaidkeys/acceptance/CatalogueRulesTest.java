package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import mx.prepaidkeys.local.DevStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * PUT /v1/admin/products/{sku}: the catalogue takes only what can be sold and read. A SKU is 2 to 24
 * capitals, digits and dashes, starting with a letter and ending with a letter or a digit; a
 * licence version is digits, a dot, digits ({@code 2026.1}); a product's name and a licence's title
 * have at least 3 characters besides spaces, a licence's text at least 20. Junk is refused naming
 * each field, and nothing is written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogueRulesTest {
    private static final String PRODUCT = """
            {"name":"%s","description":"Contabilidad electrónica","termMonths":12,
             "license":{"version":"%s","title":"%s","url":"https://vendor.example/licencias/coi/2026.1","text":"%s"}}""";
    private static final String NAME = "Aspel COI 10.0";
    private static final String VERSION = "2026.1";
    private static final String TITLE = "Licencia de uso de Aspel COI";
    private static final String TEXT = "El uso de Aspel COI se rige por esta licencia.";

    private final TestStack stack = TestStack.get();
    private final ApiClient admin = stack.newUser(null);
    private final TableChanges changes = new TableChanges(stack, DevStack.TABLE);

    private record Case(String sku, String body, Set<String> fields) {}

    @Test
    void junk_products_are_refused_naming_each_field_and_nothing_is_written() {
        String fresh = "CAT-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        String valid = PRODUCT.formatted(NAME, VERSION, TITLE, TEXT);
        List<Case> cases = new ArrayList<>();
        for (String sku : List.of("00", "S", "0SAE-12M", "SAE_12M", "SAE-12M-", "A" + "B".repeat(24))) {
            cases.add(new Case(sku, valid, Set.of("sku")));
        }
        for (String version : List.of("s", "2026", "2026.", ".1", "v2026.1", "2026.1.1", "2026,1", "12345.1")) {
            cases.add(new Case(fresh, PRODUCT.formatted(NAME, version, TITLE, TEXT), Set.of("license.version")));
        }
        for (String title : List.of("0", "ab", " a b ")) {
            cases.add(new Case(fresh, PRODUCT.formatted(NAME, VERSION, title, TEXT), Set.of("license.title")));
            cases.add(new Case(fresh, PRODUCT.formatted(title, VERSION, TITLE, TEXT), Set.of("name")));
        }
        for (String text : List.of("x", "Texto uno", "a b c d e f g h i j k l m n o p q r s")) {
            cases.add(new Case(fresh, PRODUCT.formatted(NAME, VERSION, TITLE, text), Set.of("license.text")));
        }
        cases.add(new Case(fresh, PRODUCT.formatted("0", "s", "0", "x"), Set.of("name", "license.version", "license.title", "license.text")));

        int mark = changes.mark();
        List<String> failures = new ArrayList<>();
        for (Case bad : cases) {
            var reply = admin.put("/v1/admin/products/" + bad.sku(), bad.body());
            Set<String> named = new LinkedHashSet<>();
            if (reply.json() != null) reply.json().path("errors").forEach(error -> named.add(error.path("field").asText()));
            if (reply.status() != 400 || !"REQUEST_INVALID".equals(reply.code()) || !named.equals(bad.fields())) {
                failures.add(bad.sku() + " " + bad.body().replaceAll("\\s+", " ") + " -> " + reply.status() + " " + named);
            }
        }
        assertEquals(List.of(), failures, failures.size() + " of " + cases.size() + " junk products were not refused naming their fields");
        assertEquals(List.of(), changes.since(mark), "nothing was written");
        assertFalse(admin.get("/v1/admin/products").body().contains(fresh), "the junk product is not in the catalogue");
    }

    @Test
    void products_within_the_rules_are_taken() {
        String sku = "CAT-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase() + "-12M";
        var created = admin.put("/v1/admin/products/" + sku, PRODUCT.formatted("COI", "2026.1", "Lic", "12345678901234567890"));
        assertEquals(201, created.status(), created.body());
        var updated = admin.put("/v1/admin/products/" + sku, PRODUCT.formatted(NAME, "2026.10", TITLE, TEXT));
        assertEquals(200, updated.status(), updated.body());
        var shortest = admin.put("/v1/admin/products/X9", PRODUCT.formatted(NAME, "1.0", TITLE, TEXT));
        assertTrue(shortest.status() == 201 || shortest.status() == 200, "two characters, a letter first, make a SKU: " + shortest.body());
    }
}
