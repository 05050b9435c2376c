package mx.prepaidkeys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogueRulesTest {
    private static final String TEXT = "El uso de Aspel SAE se rige por esta licencia.";

    @Test
    void skus_are_capitals_digits_and_dashes_a_letter_first_and_no_dash_last() {
        for (String sku : List.of("SAE-12M", "COI-12M", "NOI-6M", "X9", "A" + "B".repeat(23))) assertTrue(CatalogueRules.isSku(sku), sku);
        for (String sku : List.of("00", "S", "0SAE", "sae-12m", "SAE_12M", "SAE-", "A" + "B".repeat(24), "SAE 12M", "")) {
            assertFalse(CatalogueRules.isSku(sku), sku);
        }
        assertFalse(CatalogueRules.isSku(null));
    }

    @Test
    void each_field_that_breaks_a_rule_is_named() {
        assertEquals(List.of(), CatalogueRules.check("Aspel SAE 9.0", "2026.1", "Licencia", TEXT));
        assertEquals(List.of(), CatalogueRules.check("SAE", "1.0", "Lic", "12345678901234567890"));
        assertEquals(List.of(new CatalogueRules.Broken("name", CatalogueRules.Rule.TOO_SHORT, 3),
                new CatalogueRules.Broken("license.version", CatalogueRules.Rule.LICENSE_VERSION, 0),
                new CatalogueRules.Broken("license.title", CatalogueRules.Rule.TOO_SHORT, 3),
                new CatalogueRules.Broken("license.text", CatalogueRules.Rule.TOO_SHORT, 20)), CatalogueRules.check("0", "s", " a b ", "x"));
        for (String version : List.of("2026", "2026.", ".1", "v2026.1", "2026.1.1", "12345.1", "2026.1000", "２０２６.1")) {
            assertEquals(1, CatalogueRules.check("SAE", version, "Lic", TEXT).size(), version);
        }
        assertEquals(1, CatalogueRules.check("SAE", "2026.1", "Lic", "a b c d e f g h i j k l m n o p q r s\n\t").size(),
                "19 characters besides spaces and line breaks");
    }

    @Test
    void a_product_is_checked_whole() {
        var product = new Product("00", "0", "ERP", 12, new License("s", "0", "https://vendor.example/l", "x"));
        assertEquals(List.of("sku", "name", "license.version", "license.title", "license.text"),
                CatalogueRules.check(product).stream().map(CatalogueRules.Broken::field).toList());
    }
}
