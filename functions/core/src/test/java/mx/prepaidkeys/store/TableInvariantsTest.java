package mx.prepaidkeys.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import mx.prepaidkeys.domain.Activation;
import mx.prepaidkeys.domain.Assignment;
import mx.prepaidkeys.domain.Client;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.domain.UserId;
import mx.prepaidkeys.domain.Voiding;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The checks over items built by hand (key items and counters through the store's own
 * {@link KeyItems}, as the repository writes them): a healthy table passes, and each kind of damage
 * is named by the invariant it breaks. The acceptance test does the same on a real table.
 */
class TableInvariantsTest {
    private static final Instant NOW = Instant.parse("2026-11-30T18:00:00Z");
    private static final Instant EARLIER = NOW.minus(Duration.ofMinutes(5));
    private static final Product SAE = new Product("SAE-12M", "Aspel SAE", "ERP", 12, new License("2026.1", "Licencia", "https://x/l", "Texto"));

    private static final DistributorId NORTE = new DistributorId("norte");
    /** The five keys of the table, one in each state; the last symbol is the masked key's too. */
    private static final String K1 = "00000000000000000000000001";
    private static final String K2 = "00000000000000000000000002";
    private static final String K3 = "00000000000000000000000003";
    private static final String K4 = "00000000000000000000000004";
    private static final String K5 = "00000000000000000000000005";

    private final TableInvariants invariants = new TableInvariants();

    /** A batch of five keys, one in each state, every item as the service writes it. */
    private final class Table {
        final List<Map<String, AttributeValue>> items = new ArrayList<>();
        final Map<String, Map<String, Long>> counters = new TreeMap<>();
        final List<SentEmail> sent = new ArrayList<>();
        final Map<String, Long> reportCells = new TreeMap<>();
        final PrepaidKey issued = PrepaidKey.issued(new KeyId(K1), masked("AAAA1"), SAE, "b1", null);
        final PrepaidKey available = activate(PrepaidKey.issued(new KeyId(K2), masked("AAAA2"), SAE, "b1", null));
        final PrepaidKey used = assign(activate(PrepaidKey.issued(new KeyId(K3), masked("AAAA3"), SAE, "b1", null)));
        final PrepaidKey voidedAvailable = activate(PrepaidKey.issued(new KeyId(K4), masked("AAAA4"), SAE, "b1", null)).voidWith(voiding());
        final PrepaidKey voidedIssued = PrepaidKey.issued(new KeyId(K5), masked("AAAA5"), SAE, "b1", null).voidWith(voiding());

        Table() {
            items.add(item("BATCH#b1", "BATCH", Map.of("state", "COMPLETE", "createdAt", Timestamps.format(EARLIER)), Map.of("quantity", 5)));
            for (PrepaidKey key : List.of(issued, available, used, voidedAvailable, voidedIssued)) {
                items.add(KeyItems.item(key));
                if (key.activation() != null) {
                    items.add(event(key.keyId().value(), "ACTIVATED", key.activation().activatedAt()));
                    items.add(email(key.keyId().value(), "SENT", "m-" + key.keyId()));
                    sent.add(new SentEmail("m-" + key.keyId(), List.of("ana@norte.example"), "Clave confirmada " + key.maskedKey()));
                    KeyItems.buckets(key).forEach((sk, bucket) -> counters.computeIfAbsent(sk, s -> new TreeMap<>()).merge(bucket, 1L, Long::sum));
                    // the report's tally, as the stream left it: the key's marker and its cell's counter
                    String day = KeyItems.day(key.activation().activatedAt()).toString();
                    items.add(item("REPORT#COUNTED#" + key.keyId().value(), "COUNTED",
                            Map.of("day", day, "distributorId", "norte", "productSku", "SAE-12M"), Map.of()));
                    reportCells.merge(day + "#norte#SAE-12M", 1L, Long::sum);
                }
                if (key.assignment() != null) items.add(event(key.keyId().value(), "ASSIGNED", key.assignment().assignedAt()));
                if (key.voiding() != null) items.add(event(key.keyId().value(), "VOIDED", key.voiding().at()));
            }
            items.add(item("IDEMPOTENCY#confirm#sub#abc", "RECORD", Map.of("state", "COMPLETED"),
                    Map.of("ttl", NOW.plus(Duration.ofHours(23)).getEpochSecond())));
        }

        /** The counter items as the transitions left them; {@code change} edits them first. */
        List<Map<String, AttributeValue>> withCounters() {
            List<Map<String, AttributeValue>> all = new ArrayList<>(items);
            counters.forEach((sk, buckets) -> {
                Map<String, AttributeValue> item = new HashMap<>(Map.of("PK", s("COUNTS#norte"), "SK", s(sk)));
                buckets.forEach((bucket, n) -> item.put(bucket, AttributeValue.fromN(Long.toString(n))));
                all.add(item);
            });
            reportCells.forEach((cell, n) -> all.add(item("REPORT#ACTIVATIONS#" + cell.substring(0, 7), cell,
                    Map.of("day", cell.substring(0, 10)), Map.of("activations", n))));
            return all;
        }

        InvariantReport check() {
            return invariants.evaluate("keys", withCounters(), sent, NOW);
        }

        void replace(String pk, String sk, Map<String, AttributeValue> item) {
            remove(pk, sk);
            items.add(item);
        }

        void remove(String pk, String sk) {
            items.removeIf(i -> i.get("PK").s().equals(pk) && i.get("SK").s().equals(sk));
        }
    }

    @Test
    void a_table_the_service_wrote_holds_every_invariant() {
        InvariantReport report = new Table().check();
        assertTrue(report.ok(), report.text());
        assertEquals(3, report.result(TableInvariants.EMAIL_PER_ACTIVATION).count("activated"));
        assertEquals(3, report.result(TableInvariants.EMAIL_SENT_ONCE).count("sent once"));
        assertEquals(5, report.result(TableInvariants.KEY_STATE).count("keys"));
        assertEquals(5, report.result(TableInvariants.HISTORY).count("issued"));
        assertEquals(6, report.result(TableInvariants.HISTORY).count("recorded"));
        assertTrue(report.result(TableInvariants.COUNTERS).count("buckets") > 0);
        assertTrue(report.text().contains("All invariants hold."), report.text());
    }

    @Test
    void the_activations_are_counted_by_distributor_and_by_product_for_the_back_office_report() {
        InvariantReport report = new Table().check();
        var activations = report.activations();
        assertEquals(Map.of("norte", new InvariantReport.Tally(3, 1, 1), InvariantReport.NO_DISTRIBUTOR, new InvariantReport.Tally(0, 0, 1)),
                activations.byDistributor());
        assertEquals(Map.of("SAE-12M", new InvariantReport.Tally(3, 1, 2)), activations.byProduct());
        assertEquals(new InvariantReport.Tally(3, 1, 2), activations.total());
        String text = report.text();
        assertTrue(text.contains("Activations by distributor (keys activated, assigned, voided; every day):\n"), text);
        assertTrue(text.matches("(?s).*\\n  norte +3 +1 +1\\n  total +3 +1 +2\\n.*"), text);
        assertTrue(text.matches("(?s).*Activations by product.*\\n  SAE-12M +3 +1 +2\\n.*"), text);
    }

    @Test
    void the_reports_counters_equal_the_activations_they_count_and_each_difference_is_named() {
        Table table = new Table();
        var healthy = table.check().result(TableInvariants.REPORT);
        assertTrue(healthy.ok(), healthy.violations().toString());
        assertEquals(3, healthy.count("counted"));
        assertEquals(1, healthy.count("cells"));

        String cell = table.reportCells.keySet().iterator().next();
        table.reportCells.merge(cell, 1L, Long::sum);
        table.items.add(item("REPORT#COUNTED#" + K1, "COUNTED", Map.of("day", cell.substring(0, 10), "distributorId", "norte",
                "productSku", "SAE-12M"), Map.of()));
        table.remove("REPORT#COUNTED#" + K2, "COUNTED");
        var damaged = table.check().result(TableInvariants.REPORT);
        assertEquals(List.of("key " + K1 + " is counted (" + cell + ") and not activated"), damaged.violations().stream()
                .filter(v -> v.contains(K1)).toList());
        assertEquals(1, damaged.count("not yet counted"), "an activation five minutes old may wait for the stream: " + damaged.violations());
        assertTrue(damaged.violations().contains("REPORT#ACTIVATIONS#" + cell.substring(0, 7) + "/" + cell + ": counter 4, counted keys 3"),
                damaged.violations().toString());

        var late = new TableInvariants(Duration.ofMinutes(1)).evaluate("keys", table.withCounters(), table.sent, NOW)
                .result(TableInvariants.REPORT);
        assertTrue(late.violations().stream().anyMatch(v -> v.startsWith("key " + K2 + ": activated at ") && v.endsWith("not counted in the report")),
                late.violations().toString());
    }

    @Test
    void a_counter_off_by_one_is_named_with_its_bucket() {
        Table table = new Table();
        table.counters.get("TOTAL").merge("AVAILABLE|SAE-12M|NONE", 1L, Long::sum);
        var result = table.check().result(TableInvariants.COUNTERS);
        assertFalse(result.ok());
        assertEquals(List.of("COUNTS#norte/TOTAL AVAILABLE|SAE-12M|NONE: counter 2, keys 1"), result.violations());
    }

    @Test
    void an_activation_without_its_email_item_is_a_lost_email() {
        Table table = new Table();
        table.remove("KEY#" + K2, "EMAIL#ACTIVATION");
        table.sent.removeIf(m -> m.messageId().equals("m-" + K2));
        var result = table.check().result(TableInvariants.EMAIL_PER_ACTIVATION);
        assertEquals(1, result.count("lost"));
        assertTrue(result.violations().getFirst().startsWith("key " + K2 + ": activated"), result.violations().toString());
    }

    @Test
    void an_email_item_without_an_activation_is_an_orphan() {
        Table table = new Table();
        table.items.add(email(K1, "PENDING", null));
        var result = table.check().result(TableInvariants.EMAIL_PER_ACTIVATION);
        assertEquals(1, result.count("orphan"));
    }

    @Test
    void a_second_message_for_one_activation_is_a_duplicate() {
        Table table = new Table();
        table.sent.add(new SentEmail("m-again", List.of("ana@norte.example"), "Clave confirmada " + table.available.maskedKey()));
        var result = table.check().result(TableInvariants.EMAIL_SENT_ONCE);
        assertEquals(List.of("key " + K2 + ": SENT email sent 2 times"), result.violations());
    }

    @Test
    void a_sender_that_died_between_ses_and_the_mark_is_accounted_for_not_lost_nor_duplicated() {
        Table table = new Table();
        table.replace("KEY#" + K2, "EMAIL#ACTIVATION", email(K2, "SENDING", null));
        table.sent.replaceAll(m -> m.messageId().equals("m-" + K2) ? new SentEmail("m-unmarked", m.to(), m.subject()) : m);
        InvariantReport report = table.check();
        assertTrue(report.ok(), report.text());
        assertEquals(1, report.result(TableInvariants.EMAIL_SENT_ONCE).count("sent, not marked"));
        assertEquals(1, report.result(TableInvariants.EMAIL_ACCOUNTED).count("SENDING"));
    }

    @Test
    void a_sent_email_the_mail_service_does_not_hold_is_lost() {
        Table table = new Table();
        table.sent.removeIf(m -> m.messageId().equals("m-" + K3));
        var result = table.check().result(TableInvariants.EMAIL_SENT_ONCE);
        assertEquals(1, result.count("lost"));
    }

    @Test
    void a_pending_email_nobody_sends_is_lost_after_the_limit_and_in_flight_before() {
        Table table = new Table();
        table.replace("KEY#" + K2, "EMAIL#ACTIVATION", email(K2, "PENDING", null));
        table.sent.removeIf(m -> m.messageId().equals("m-" + K2));
        assertTrue(table.check().ok(), "five minutes PENDING is in flight");
        var stale = new TableInvariants(Duration.ofMinutes(1)).evaluate("keys", table.withCounters(), table.sent, NOW)
                .result(TableInvariants.EMAIL_ACCOUNTED);
        assertEquals(1, stale.count("lost"));
    }

    @Test
    void failed_emails_are_dead_letters_counted_with_their_error_and_accounted_for() {
        Table table = new Table();
        var failed = email(K2, "FAILED", null);
        failed.put("lastError", s("SesV2Exception"));
        table.replace("KEY#" + K2, "EMAIL#ACTIVATION", failed);
        table.sent.removeIf(m -> m.messageId().equals("m-" + K2));
        InvariantReport report = table.check();
        assertTrue(report.ok(), report.text());
        assertEquals(1, report.result(TableInvariants.DEAD_LETTERS).count("FAILED"));
        assertTrue(report.result(TableInvariants.DEAD_LETTERS).summary().contains("SesV2Exception 1"));
        assertEquals(List.of(K2), report.result(TableInvariants.DEAD_LETTERS).keys(), "the keys ops resend");
        table.replace("KEY#" + K2, "EMAIL#ACTIVATION", email(K2, "FAILED", null));
        assertFalse(table.check().result(TableInvariants.EMAIL_ACCOUNTED).ok(), "FAILED without its error");
    }

    @Test
    void a_key_with_the_index_entries_of_another_state_is_in_two_states() {
        Table table = new Table();
        var item = KeyItems.item(table.available);
        item.put("GSI1PK", s("DIST#norte#USED"));
        table.replace("KEY#" + K2, "KEY", item);
        var result = table.check().result(TableInvariants.KEY_STATE);
        assertEquals(1, result.violations().size());
        assertTrue(result.violations().getFirst().contains("GSI1PK is DIST#norte#USED, should be DIST#norte#AVAILABLE"), result.violations().toString());
    }

    @Test
    void a_status_its_fields_contradict_is_caught() {
        Table table = new Table();
        var item = KeyItems.item(table.used);
        item.put("status", s("AVAILABLE"));
        table.replace("KEY#" + K3, "KEY", item);
        var result = table.check().result(TableInvariants.KEY_STATE);
        assertTrue(result.violations().stream().anyMatch(v -> v.contains("AVAILABLE without its activation, or with an assignment")),
                result.violations().toString());
    }

    @Test
    void a_transition_without_its_entry_and_an_entry_without_its_transition_are_both_named() {
        Table table = new Table();
        table.items.removeIf(i -> i.get("PK").s().equals("KEY#" + K3) && i.get("SK").s().endsWith("#ASSIGNED"));
        table.items.add(event(K2, "ASSIGNED", NOW));
        var result = table.check().result(TableInvariants.HISTORY);
        assertEquals(2, result.violations().size(), result.violations().toString());
        assertTrue(result.violations().get(0).contains("without its ASSIGNED entry") || result.violations().get(1).contains("without its ASSIGNED entry"));
        assertTrue(result.violations().stream().anyMatch(v -> v.startsWith("key " + K2 + ": ASSIGNED entry")));
    }

    @Test
    void entries_that_record_no_transition_are_counted_not_refused() {
        Table table = new Table();
        table.items.add(event(K2, "EMAIL_HELD", EARLIER));
        InvariantReport report = table.check();
        assertTrue(report.ok(), report.text());
        assertEquals(1, report.result(TableInvariants.HISTORY).count("other entries"));
    }

    @Test
    void a_key_whose_batch_is_gone_has_no_issued_entry() {
        Table table = new Table();
        table.remove("BATCH#b1", "BATCH");
        assertEquals(5, table.check().result(TableInvariants.HISTORY).violations().size());
    }

    @Test
    void a_claim_held_longer_than_any_run_is_stuck_one_past_its_lease_is_abandoned_and_free_one_within_it_or_expired_is_neither() {
        Table table = new Table();
        table.items.add(item("IDEMPOTENCY#confirm#sub#stuck", "RECORD", Map.of("state", "IN_PROGRESS"),
                Map.of("lockedUntil", NOW.plus(Duration.ofHours(2)).toEpochMilli(), "ttl", NOW.plus(Duration.ofHours(23)).getEpochSecond())));
        table.items.add(item("IDEMPOTENCY#confirm#sub#killed", "RECORD", Map.of("state", "IN_PROGRESS"),
                Map.of("lockedUntil", NOW.minusSeconds(30).toEpochMilli(), "ttl", NOW.plus(Duration.ofHours(23)).getEpochSecond())));
        table.items.add(item("IDEMPOTENCY#confirm#sub#running", "RECORD", Map.of("state", "IN_PROGRESS"),
                Map.of("lockedUntil", NOW.plusSeconds(30).toEpochMilli(), "ttl", NOW.plus(Duration.ofHours(23)).getEpochSecond())));
        table.items.add(item("IDEMPOTENCY#confirm#sub#old", "RECORD", Map.of("state", "IN_PROGRESS"),
                Map.of("lockedUntil", NOW.minus(Duration.ofDays(2)).toEpochMilli(), "ttl", NOW.minus(Duration.ofDays(1)).getEpochSecond())));
        var result = table.check().result(TableInvariants.IDEMPOTENCY);
        assertEquals(1, result.violations().size(), result.violations().toString());
        assertTrue(result.violations().getFirst().startsWith("IDEMPOTENCY#confirm#sub#stuck IN_PROGRESS"));
        assertEquals(1, result.count("abandoned"));
        assertEquals(1, result.count("expired"));
    }

    @Test
    void a_complete_batch_short_of_keys_and_a_mint_cut_short_are_caught() {
        Table table = new Table();
        table.remove("KEY#" + K1, "KEY");
        table.items.add(item("BATCH#b2", "BATCH", Map.of("state", "MINTING", "createdAt", Timestamps.format(NOW.minus(Duration.ofHours(1)))),
                Map.of("quantity", 100)));
        var result = table.check().result(TableInvariants.BATCHES);
        assertEquals(2, result.violations().size(), result.violations().toString());
        assertTrue(result.violations().stream().anyMatch(v -> v.contains("COMPLETE with 4 keys of 5 (keys lost)")));
        assertTrue(result.violations().stream().anyMatch(v -> v.contains("b2 MINTING for 60 min with 0 of 100 keys")));
    }

    @Test
    void the_mail_store_of_aws_ses_v2_local_is_read() {
        var sent = InvariantsCli.parseStore("""
                {"templates":{},"emails":[{"messageId":"ses-123","from":"x@v.example","destination":{"to":["ana@norte.example"],"cc":[],"bcc":[]},
                "subject":"Clave de producto confirmada: *****-*****-*****-*****-7K3QZ","body":{"text":"t"},"at":1764525600}]}""");
        assertEquals(List.of(new SentEmail("ses-123", List.of("ana@norte.example"), "Clave de producto confirmada: *****-*****-*****-*****-7K3QZ")), sent);
        assertEquals("*****-*****-*****-*****-7K3QZ", TableInvariants.maskedKeyIn(sent.getFirst().subject()));
    }

    // ---- items as the repository writes them ------------------------------------------------------

    private static PrepaidKey activate(PrepaidKey key) {
        return key.activate(new Activation(NORTE, EARLIER, new UserId("sub-ana"), "ana@norte.example", "Ana", "2026.1", "127.0.0.1", "test"), EARLIER);
    }

    private static PrepaidKey assign(PrepaidKey key) {
        return key.assign(NORTE, new Assignment(new Client("XAXX010101000", "Mostrador"), EARLIER.plusSeconds(60), new UserId("sub-ana"),
                "ana@norte.example", false), EARLIER.plusSeconds(60));
    }

    private static Voiding voiding() {
        return new Voiding("devolución", EARLIER.plusSeconds(120), new UserId("sub-admin"), "admin@vendor.example");
    }

    private static String masked(String end) {
        return "*****-*****-*****-*****-" + end + "Q".substring(0, 5 - end.length());
    }

    private static Map<String, AttributeValue> event(String keyId, String type, Instant at) {
        return item("KEY#" + keyId, "EVENT#" + Timestamps.format(at) + "#" + type, Map.of("type", "EVENT", "eventType", type,
                "at", Timestamps.format(at)), Map.of());
    }

    private static Map<String, AttributeValue> email(String keyId, String state, String messageId) {
        Map<String, AttributeValue> item = item("KEY#" + keyId, "EMAIL#ACTIVATION", Map.of("type", "EMAIL", "state", state,
                "to", "ana@norte.example", "maskedKey", masked("AAAA" + keyId.charAt(keyId.length() - 1)), "activatedAt", Timestamps.format(EARLIER),
                "claimedAt", Timestamps.format(EARLIER)), Map.of());
        if (messageId != null) item.put("messageId", s(messageId));
        return item;
    }

    private static Map<String, AttributeValue> item(String pk, String sk, Map<String, String> strings, Map<String, Number> numbers) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("PK", s(pk));
        item.put("SK", s(sk));
        strings.forEach((name, value) -> item.put(name, s(value)));
        numbers.forEach((name, value) -> item.put(name, AttributeValue.fromN(value.toString())));
        return item;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
