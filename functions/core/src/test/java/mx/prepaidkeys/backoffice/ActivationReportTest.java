package mx.prepaidkeys.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.backoffice.ActivationReport.GroupBy;
import mx.prepaidkeys.backoffice.ActivationReport.Row;
import mx.prepaidkeys.domain.ActivationTallies.Activated;
import mx.prepaidkeys.domain.InMemoryActivationTallies;
import mx.prepaidkeys.store.DynamoActivationTallies;
import org.junit.jupiter.api.Test;

/** The report's tally as the stream feeds it: each key's activation counted once, nothing else counted. */
class ActivationReportTest {
    private final InMemoryActivationTallies tallies = new InMemoryActivationTallies();
    private final ActivationReport report = new ActivationReport(tallies);

    private static final String KEY_A = "a".repeat(26);
    private static final String KEY_B = "b".repeat(26);
    private static final String KEY_C = "c".repeat(26);

    /** A key item's stream record: keys and the string attributes of its images. */
    private boolean tally(String keyId, String sk, Map<String, String> oldImage, Map<String, String> newImage) {
        Activated activated = DynamoActivationTallies.activated(Map.of("PK", "KEY#" + keyId, "SK", sk), newImage, oldImage);
        return activated != null && report.tally(activated);
    }

    /** A key item's image: with a distributor, an activation at noon UTC of that day (6:00 in Mexico City). */
    private static Map<String, String> key(String status, String distributor, String sku, String day) {
        Map<String, String> image = new HashMap<>(Map.of("status", status, "productSku", sku));
        if (distributor != null) image.put("distributorId", distributor);
        if (day != null) {
            image.put("activatedAt", day + "T12:00:00.000Z");
            image.put("activatedDay", day);
        }
        return image;
    }

    @Test
    void theSameActivationDeliveredTwiceCountsOnce() {
        var before = key("ISSUED", null, "OFFICE-PRO", null);
        var after = key("AVAILABLE", "dist-norte", "OFFICE-PRO", "2026-11-30");
        assertTrue(tally(KEY_A, "KEY", before, after));
        assertFalse(tally(KEY_A, "KEY", before, after), "a redelivered record is no new activation");

        var month = report.report(LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-30"), GroupBy.DISTRIBUTOR);
        assertEquals(List.of(new Row("dist-norte", 1)), month.rows());
        assertEquals(1, month.total());
    }

    @Test
    void recordsThatAreNoActivationCountNothing() {
        var available = key("AVAILABLE", "dist-norte", "OFFICE-PRO", "2026-11-30");
        // the assignment and the void of an activated key: it had its activation already
        assertFalse(tally(KEY_A, "KEY", available, key("USED", "dist-norte", "OFFICE-PRO", "2026-11-30")));
        assertFalse(tally(KEY_A, "KEY", available, key("VOID", "dist-norte", "OFFICE-PRO", "2026-11-30")));
        // a mint, a void of an issued key
        assertFalse(tally(KEY_B, "KEY", null, key("ISSUED", null, "OFFICE-PRO", null)));
        assertFalse(tally(KEY_B, "KEY", key("ISSUED", null, "OFFICE-PRO", null), key("VOID", null, "OFFICE-PRO", null)));
        // the activation's other items: its email, its history entry
        assertFalse(tally(KEY_C, "EMAIL#ACTIVATION", null, Map.of("state", "PENDING", "activatedAt", "2026-11-30T12:00:00.000Z")));
        assertFalse(tally(KEY_C, "EVENT#2026-11-30T10:00:00.000Z#ACTIVATED", null, available));
        // a removed item
        assertNull(DynamoActivationTallies.activated(Map.of("PK", "KEY#" + KEY_C, "SK", "KEY"), null, available));

        assertEquals(0, report.report(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-12-31"), GroupBy.PRODUCT).total());
    }

    @Test
    void theDayIsMexicoCitys() {
        var activated = new HashMap<>(key("AVAILABLE", "dist-norte", "OFFICE-PRO", null));
        // 03:30 UTC on 1 December is 21:30 on 30 November in Mexico City
        activated.put("activatedAt", "2026-12-01T03:30:00.000Z");
        assertTrue(tally(KEY_A, "KEY", key("ISSUED", null, "OFFICE-PRO", null), activated));
        assertEquals(List.of(new Row("2026-11", 1)),
                report.report(LocalDate.parse("2026-11-30"), LocalDate.parse("2026-12-01"), GroupBy.MONTH).rows());
    }

    @Test
    void groupsByDistributorProductAndMonthWithinTheRange() {
        tally(KEY_A, "KEY", null, key("AVAILABLE", "dist-norte", "OFFICE-PRO", "2026-10-31"));
        tally(KEY_B, "KEY", null, key("AVAILABLE", "dist-sur", "OFFICE-PRO", "2026-11-01"));
        tally(KEY_C, "KEY", null, key("AVAILABLE", "dist-sur", "ANTIVIRUS", "2026-11-02"));
        tally("d".repeat(26), "KEY", null, key("AVAILABLE", "dist-sur", "ANTIVIRUS", "2026-11-03"));

        LocalDate from = LocalDate.parse("2026-10-31"), to = LocalDate.parse("2026-11-02");
        assertEquals(List.of(new Row("dist-norte", 1), new Row("dist-sur", 2)), report.report(from, to, GroupBy.DISTRIBUTOR).rows());
        assertEquals(List.of(new Row("ANTIVIRUS", 1), new Row("OFFICE-PRO", 2)), report.report(from, to, GroupBy.PRODUCT).rows());
        assertEquals(List.of(new Row("2026-10", 1), new Row("2026-11", 2)), report.report(from, to, GroupBy.MONTH).rows());
        assertEquals(3, report.report(from, to, GroupBy.MONTH).total());
    }

    @Test
    void aRangeIsAtMost366DaysBothIncludedAndInOrder() {
        LocalDate from = LocalDate.parse("2024-12-31");
        assertTrue(ActivationReport.withinLimits(from, from.plusDays(365)));
        assertFalse(ActivationReport.withinLimits(from, from.plusDays(366)));
        assertFalse(ActivationReport.withinLimits(from, from.minusDays(1)));
        assertThrows(IllegalArgumentException.class, () -> report.report(from, from.plusDays(366), GroupBy.MONTH));
    }
}
