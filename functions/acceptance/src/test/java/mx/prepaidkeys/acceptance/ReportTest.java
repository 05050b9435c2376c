package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import mx.prepaidkeys.domain.Timestamps;
import org.junit.jupiter.api.Test;

/**
 * The activation report end to end: keys of two fresh products activated through the API by two
 * fresh distributors, counted by the tally function from the table's stream (under the local
 * runtime, as Lambda's event source mapping runs it), read back by the report route grouped every
 * way, and as CSV. The stack is shared: rows of the fresh distributors and products are exact,
 * months hold everyone's activations.
 */
class ReportTest {
    private final TestStack stack = TestStack.get();
    private final ApiClient admin = stack.newUser(null);
    private final String suffix = UUID.randomUUID().toString().substring(0, 6).toUpperCase(java.util.Locale.ROOT);
    private final String north = "dist-rep-a-" + suffix.toLowerCase(java.util.Locale.ROOT);
    private final String south = "dist-rep-b-" + suffix.toLowerCase(java.util.Locale.ROOT);
    private final ApiClient northUser = stack.newUser(north);
    private final ApiClient southUser = stack.newUser(south);
    private final String erp = "REP-ERP-" + suffix;
    private final String payroll = "REP-NOM-" + suffix;

    @Test
    void activations_through_the_api_show_in_the_report_by_distributor_product_and_month_and_as_csv() {
        saveProduct(erp);
        saveProduct(payroll);
        var erpKeys = mint(erp, 3);
        var payrollKeys = mint(payroll, 2);
        // north: two ERP and one payroll key; south: one ERP and one payroll key
        confirm(northUser, erpKeys.get(0));
        confirm(northUser, erpKeys.get(1));
        confirm(northUser, payrollKeys.get(0));
        confirm(southUser, erpKeys.get(2));
        confirm(southUser, payrollKeys.get(1));

        // the day in Mexico City, the report's days: a day either side in case midnight passes while the test runs
        LocalDate today = LocalDate.now(Timestamps.MEXICO_CITY);
        String range = "from=" + today.minusDays(1) + "&to=" + today.plusDays(1);
        long confirmed = System.nanoTime();
        Map<String, Long> byDistributor = awaitRows("/v1/admin/reports/activations?" + range + "&groupBy=distributor",
                rows -> rows.getOrDefault(north, 0L) == 3 && rows.getOrDefault(south, 0L) == 2, Duration.ofSeconds(60));
        assertEquals(3L, byDistributor.get(north));
        assertEquals(2L, byDistributor.get(south));
        System.out.printf("activation report: the five activations counted and shown %d ms after the last confirm%n",
                (System.nanoTime() - confirmed) / 1_000_000);

        var byProduct = report("/v1/admin/reports/activations?" + range + "&groupBy=product");
        assertEquals("product", byProduct.path("groupBy").asText());
        assertEquals(today.minusDays(1).toString(), byProduct.path("from").asText());
        assertEquals(today.plusDays(1).toString(), byProduct.path("to").asText());
        assertEquals(3L, rows(byProduct).get(erp));
        assertEquals(2L, rows(byProduct).get(payroll));
        assertEquals(sum(rows(byProduct)), byProduct.path("total").asLong(), "the total is the rows' sum");

        var byMonth = report("/v1/admin/reports/activations?" + range + "&groupBy=month");
        var months = rows(byMonth);
        assertTrue(months.keySet().stream().allMatch(m -> !YearMonth.parse(m).isBefore(YearMonth.from(today.minusDays(1)))
                && !YearMonth.parse(m).isAfter(YearMonth.from(today.plusDays(1)))), "months of the range only: " + months);
        assertTrue(months.getOrDefault(YearMonth.from(today).toString(), 0L) >= 5, "this month holds the five: " + months);
        assertEquals(sum(months), byMonth.path("total").asLong());

        // another range: nothing of today
        var before = report("/v1/admin/reports/activations?from=" + today.minusDays(40) + "&to=" + today.minusDays(10) + "&groupBy=distributor");
        assertTrue(!rows(before).containsKey(north) && !rows(before).containsKey(south), "days before the activations: " + before);

        var csv = admin.get("/v1/admin/reports/activations?" + range + "&groupBy=product", "accept", "text/csv");
        assertEquals(200, csv.status(), csv.body());
        assertTrue(csv.header("content-type").startsWith("text/csv"), csv.header("content-type"));
        assertTrue(csv.body().startsWith("product,activations\r\n"), csv.body());
        assertTrue(csv.body().contains("\r\n" + erp + ",3\r\n"), csv.body());
        assertTrue(csv.body().contains("\r\n" + payroll + ",2\r\n"), csv.body());
    }

    private void saveProduct(String sku) {
        String body = "{\"name\":\"Reporte " + sku + "\",\"description\":\"Producto de la prueba del reporte\",\"termMonths\":12,"
                + "\"license\":{\"version\":\"2026.1\",\"title\":\"Licencia\",\"url\":\"https://vendor.example/licencias/rep/2026.1\","
                + "\"text\":\"LICENCIA DE USO DEL PRODUCTO DE PRUEBA\"}}";
        var saved = admin.put("/v1/admin/products/" + sku, body);
        assertEquals(201, saved.status(), saved.body());
    }

    private java.util.List<String> mint(String sku, int quantity) {
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"" + sku + "\",\"quantity\":" + quantity + "}",
                "idempotency-key", UUID.randomUUID().toString());
        assertEquals(201, minted.status(), minted.body());
        java.util.List<String> keys = new java.util.ArrayList<>();
        minted.json().path("keys").forEach(k -> keys.add(k.path("key").asText()));
        return keys;
    }

    private static void confirm(ApiClient user, String key) {
        var confirmed = user.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", key));
        assertEquals(200, confirmed.status(), confirmed.body());
    }

    private JsonNode report(String path) {
        var reply = admin.get(path);
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    /** Polls the report until the rows satisfy {@code done}: the tally follows the stream, a few hundred ms behind. */
    private Map<String, Long> awaitRows(String path, java.util.function.Predicate<Map<String, Long>> done, Duration deadline) {
        long until = System.nanoTime() + deadline.toNanos();
        Map<String, Long> rows = rows(report(path));
        while (!done.test(rows) && System.nanoTime() < until) {
            TestStack.pause(100);
            rows = rows(report(path));
        }
        return rows;
    }

    private static Map<String, Long> rows(JsonNode report) {
        Map<String, Long> rows = new TreeMap<>();
        report.path("rows").forEach(row -> rows.put(row.path("key").asText(), row.path("activations").asLong()));
        return rows;
    }

    private static long sum(Map<String, Long> rows) {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }
}
