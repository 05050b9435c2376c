package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyItems.str;
import static mx.prepaidkeys.store.KeyTable.PK;
import static mx.prepaidkeys.store.KeyTable.SK;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import mx.prepaidkeys.domain.KeyEvent;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.Timestamps;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What must hold in the table whatever happened to the service (load, a dependency that stalled, a
 * function killed mid-request), checked from the items themselves, read-only:
 * <ul>
 *   <li>{@value #EMAIL_PER_ACTIVATION}: every activated key has its {@code EMAIL#ACTIVATION} item, and no
 *       such item exists without an activation;</li>
 *   <li>{@value #EMAIL_ACCOUNTED}: each email is SENT (with the messageId SES answered) or accounted
 *       for: PENDING or SENDING with its age, FAILED with its error, HELD with its reason;</li>
 *   <li>{@value #EMAIL_SENT_ONCE}: given the messages the mail service holds, no activation was mailed
 *       twice and no SENT email is missing there;</li>
 *   <li>{@value #COUNTERS}: each distributor's counters equal what its keys add up to;</li>
 *   <li>{@value #KEY_STATE}: each key is in one state: its fields and its index entries are those of
 *       its stored status;</li>
 *   <li>{@value #HISTORY}: each transition the key shows has its history entry (ISSUED is its
 *       batch), and no entry records a transition the key does not show;</li>
 *   <li>{@value #BATCHES}: a complete batch holds as many keys as it says; none is left MINTING;</li>
 *   <li>{@value #IDEMPOTENCY}: no Idempotency-Key claim holds its key longer than an invocation can last (one abandoned by a
 *       run cut off is counted: its lease ended and a retry takes it over);</li>
 *   <li>{@value #DEAD_LETTERS}: FAILED emails, counted (each put a message on the dead-letter queue).</li>
 *   <li>{@value #REPORT}: the activation report's aggregates equal the activations they count, per day,
 *       distributor and product: each counter equals the keys counted in it, each counted key is an
 *       activation of that day, distributor and product, and each activation is counted (or is younger
 *       than the stream's tally can be late, {@link #STUCK_AFTER}).</li>
 * </ul>
 * The layout knowledge is the store's own ({@link KeyItems}): the same functions that write an
 * item's index entries and counters say what they should be.
 */
public final class TableInvariants {
    public static final String EMAIL_PER_ACTIVATION = "email-per-activation";
    public static final String EMAIL_ACCOUNTED = "email-accounted";
    public static final String EMAIL_SENT_ONCE = "email-sent-once";
    public static final String COUNTERS = "counters";
    public static final String KEY_STATE = "key-state";
    public static final String HISTORY = "history";
    public static final String BATCHES = "batches";
    public static final String IDEMPOTENCY = "idempotency";
    public static final String DEAD_LETTERS = "dead-letters";
    public static final String REPORT = "report";

    /**
     * How long an email may stay PENDING, or a batch MINTING, before nothing is taken to be working on
     * it; the back office's resend takes over a SENDING email after the same time.
     */
    public static final Duration STUCK_AFTER = Duration.ofMinutes(15);

    private static final String KEY_PREFIX = "KEY#";
    private static final String COUNTS_PREFIX = "COUNTS#";
    private static final String BATCH_PREFIX = "BATCH#";
    private static final String IDEMPOTENCY_PREFIX = "IDEMPOTENCY#";
    private static final Pattern INDEX_ATTRIBUTE = Pattern.compile("GSI\\d+(PK|SK)");

    private final Duration stuckAfter;

    public TableInvariants() {
        this(STUCK_AFTER);
    }

    /** @param stuckAfter how old a PENDING email or a MINTING batch may be (tests shorten it) */
    public TableInvariants(Duration stuckAfter) {
        this.stuckAfter = stuckAfter;
    }

    /** Where the messages the mail service took are read from; read after the table, see {@link #check(TableScan, MailStore, Instant)}. */
    @FunctionalInterface
    public interface MailStore {
        List<SentEmail> read();
    }

    /**
     * Reads the table and checks it. A key the Scan saw in the middle of a transition (its items are
     * read one after another, a transaction may land between them) is read again, strongly
     * consistent, before its violations are reported.
     *
     * <p>The mail service is read after the table and before that second look: a message is in it
     * before its email item turns SENT, so every SENT item the Scan saw has its message there, and an
     * email sent while the table was read shows in the second look as the state that explains it.
     *
     * @param mail the messages the mail service holds, or null when they cannot be read (in AWS):
     *             then {@value #EMAIL_SENT_ONCE} is not checked
     */
    public InvariantReport check(TableScan scan, MailStore mail, Instant now) {
        Items items = new Items();
        long read = scan.forEach(items::add);
        List<SentEmail> sent = mail == null ? null : mail.read();
        Checked first = evaluate(items, sent, now);
        if (first.suspectKeys.isEmpty()) return first.report(scan.table(), read, List.of());
        for (String keyId : first.suspectKeys) items.replacePartition(KEY_PREFIX + keyId, scan.partition(KEY_PREFIX + keyId));
        Checked second = evaluate(items, sent, now);
        List<String> notes = new ArrayList<>();
        long gone = first.violations() - second.violations();
        if (gone > 0) {
            notes.add(String.format(Locale.ROOT, "%,d violations of %,d keys seen by the Scan were gone when those keys were read again "
                    + "(transitions under way while the table was read)", gone, first.suspectKeys.size()));
        }
        if (!second.counters.build("").ok()) {
            notes.add("counters are compared with keys read at other moments: on a table under traffic, run it again to confirm a difference");
        }
        return second.report(scan.table(), read, notes);
    }

    public InvariantReport check(DynamoDbClient dynamo, String table, MailStore mail, Instant now) {
        return check(new TableScan(dynamo, table), mail, now);
    }

    /** The checks over items already read (plain JUnit tests build them by hand). */
    public InvariantReport evaluate(String table, Collection<Map<String, AttributeValue>> items, List<SentEmail> sent, Instant now) {
        Items all = new Items();
        items.forEach(all::add);
        return evaluate(all, sent, now).report(table, items.size(), List.of());
    }

    // ---- the checks ------------------------------------------------------------------------------

    private Checked evaluate(Items items, List<SentEmail> sent, Instant now) {
        Checked checked = new Checked(sent != null);
        Map<String, Integer> keysPerBatch = new HashMap<>();
        for (var partition : items.keys.entrySet()) {
            KeyPartition key = KeyPartition.of(partition.getKey().substring(KEY_PREFIX.length()), partition.getValue().values());
            PrepaidKey parsed = keyState(key, checked);
            emailOwed(key, parsed, checked, now);
            history(key, parsed, items.batches, checked);
            if (parsed != null) {
                if (parsed.batchId() != null) keysPerBatch.merge(parsed.batchId(), 1, Integer::sum);
                checked.expectCounters(parsed);
                checked.tally(parsed);
                reportCounted(key.keyId, parsed, items.reportCounted, checked, now);
            }
        }
        report(items, checked);
        counters(items.counters, checked);
        batches(items.batches, keysPerBatch, checked, now);
        idempotency(items.idempotency, checked, now);
        if (sent != null) sentOnce(items, sent, checked);
        return checked;
    }

    /** The key item read back as the domain reads it, its fields and index entries those of its stored status. */
    private static PrepaidKey keyState(KeyPartition key, Checked checked) {
        InvariantReport.Builder result = checked.keyState;
        if (key.item == null) return null;
        PrepaidKey parsed;
        try {
            parsed = KeyItems.toKey(key.item);
        } catch (RuntimeException unreadable) {
            checked.violation(result, key.keyId, "the key item cannot be read: " + unreadable.getMessage());
            return null;
        }
        result.count("keys").count(parsed.storedStatus().name());
        if (!key.keyId.equals(parsed.keyId().value())) checked.violation(result, key.keyId, "keyId attribute is " + parsed.keyId());
        String wrongFields = switch (parsed.storedStatus()) {
            case ISSUED -> parsed.activation() != null || parsed.assignment() != null || parsed.voiding() != null
                    ? "ISSUED with an activation, assignment or void" : null;
            case AVAILABLE -> parsed.activation() == null || parsed.assignment() != null || parsed.voiding() != null
                    ? "AVAILABLE without its activation, or with an assignment or void" : null;
            case USED -> parsed.activation() == null || parsed.assignment() == null || parsed.voiding() != null
                    ? "USED without its activation or assignment, or with a void" : null;
            case VOID -> parsed.voiding() == null || parsed.assignment() != null ? "VOID without its void, or with an assignment" : null;
            case EXPIRED -> "EXPIRED is never stored";
        };
        if (wrongFields != null) checked.violation(result, key.keyId, wrongFields);
        Map<String, String> expected = new TreeMap<>();
        KeyItems.indexEntries(parsed).forEach((name, value) -> expected.put(name, value.s()));
        Map<String, String> stored = new TreeMap<>();
        key.item.forEach((name, value) -> {
            if (INDEX_ATTRIBUTE.matcher(name).matches()) stored.put(name, value.s());
        });
        if (!expected.equals(stored)) {
            Set<String> differing = new TreeSet<>(expected.keySet());
            differing.addAll(stored.keySet());
            differing.removeIf(name -> Objects.equals(expected.get(name), stored.get(name)));
            checked.violation(result, key.keyId, parsed.storedStatus() + " key with index entries of another state: " + differing.stream()
                    .map(name -> name + " is " + stored.get(name) + ", should be " + expected.get(name)).toList());
        }
        String suffix = str(key.item, "keySuffixRev");
        if (suffix != null && parsed.maskedKey() != null && !suffix.equals(KeyItems.reversedSuffix(parsed.maskedKey()))) {
            checked.violation(result, key.keyId, "keySuffixRev " + suffix + " is not the masked key's end reversed");
        }
        return parsed;
    }

    /** One email item per activation, and each sent or accounted for. */
    private void emailOwed(KeyPartition key, PrepaidKey parsed, Checked checked, Instant now) {
        InvariantReport.Builder owed = checked.emailPerActivation;
        boolean activated = parsed != null && parsed.activation() != null;
        if (activated) owed.count("activated");
        if (activated && key.email == null) {
            owed.count("lost");
            checked.violation(owed, key.keyId, "activated " + str(key.item, "activatedAt") + " by " + parsed.distributorId()
                    + ", no EMAIL#ACTIVATION item: the confirmation email is lost");
        }
        if (key.email == null) return;
        if (activated) owed.count("with email");
        else {
            owed.count("orphan");
            checked.violation(owed, key.keyId, "an EMAIL#ACTIVATION item (" + str(key.email, "state") + ") of a key "
                    + (parsed == null ? "that does not exist" : "never activated (" + parsed.storedStatus() + ")"));
        }
        InvariantReport.Builder accounted = checked.emailAccounted;
        String state = Objects.requireNonNullElse(str(key.email, "state"), "(none)");
        accounted.count(state);
        switch (state) {
            case "SENT" -> {
                if (str(key.email, "messageId") == null) checked.violation(accounted, key.keyId, "SENT without the messageId SES answered");
            }
            case "PENDING" -> {
                Instant since = latest(key.email, "activatedAt", "lastErrorAt", "resendRequestedAt");
                Duration age = since == null ? null : Duration.between(since, now);
                checked.oldest("PENDING", age);
                if (age == null || age.compareTo(stuckAfter) > 0) {
                    accounted.count("lost");
                    checked.violation(accounted, key.keyId, "PENDING for " + human(age) + ": no notifier is sending it (lost unless resent)");
                }
            }
            case "SENDING" -> {
                Instant claimed = KeyItems.instant(key.email, "claimedAt");
                Duration age = claimed == null ? null : Duration.between(claimed, now);
                checked.oldest("SENDING", age);
                if (age == null || age.compareTo(stuckAfter) > 0) accounted.count("SENDING for ops");
                // SES may or may not have taken it: ops decide whether to resend (docs/architecture.md)
                accounted.key(key.keyId);
            }
            case "FAILED" -> {
                if (str(key.email, "lastError") == null) checked.violation(accounted, key.keyId, "FAILED without lastError");
                checked.deadLetters.count("FAILED").count("error " + str(key.email, "lastError")).key(key.keyId);
            }
            case "HELD" -> {
                if (str(key.email, "heldReason") == null) checked.violation(accounted, key.keyId, "HELD without heldReason");
            }
            default -> checked.violation(accounted, key.keyId, "email in an unknown state: " + state);
        }
    }

    /** Each transition the key shows has its entry; ISSUED is the batch item. */
    private static void history(KeyPartition key, PrepaidKey parsed, Map<String, Map<String, AttributeValue>> batches, Checked checked) {
        InvariantReport.Builder result = checked.history;
        if (parsed == null) {
            if (!key.events.isEmpty()) {
                checked.violation(result, key.keyId, key.events.size() + " history entries of a key that does not exist");
            }
            return;
        }
        if (parsed.batchId() == null) checked.violation(result, key.keyId, "no batch: the key has no ISSUED entry");
        else if (!batches.containsKey(parsed.batchId())) {
            checked.violation(result, key.keyId, "its batch " + parsed.batchId() + " (the ISSUED entry) does not exist");
        } else result.count("issued");
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        if (parsed.activation() != null) expected.put(KeyEvent.Type.ACTIVATED.name(), Set.of(Timestamps.format(parsed.activation().activatedAt())));
        if (parsed.assignment() != null) expected.put(KeyEvent.Type.ASSIGNED.name(), Set.of(Timestamps.format(parsed.assignment().assignedAt())));
        if (parsed.voiding() != null) expected.put(KeyEvent.Type.VOIDED.name(), Set.of(Timestamps.format(parsed.voiding().at())));
        Map<String, Set<String>> recorded = new HashMap<>();
        for (var event : key.events) {
            String type = Objects.requireNonNullElse(str(event, "eventType"), "(none)");
            recorded.computeIfAbsent(type, t -> new TreeSet<>()).add(str(event, "at"));
        }
        for (var transition : expected.entrySet()) {
            result.count("transitions");
            String at = transition.getValue().iterator().next();
            if (recorded.getOrDefault(transition.getKey(), Set.of()).contains(at)) result.count("recorded");
            else checked.violation(result, key.keyId, parsed.storedStatus() + " key without its " + transition.getKey() + " entry at " + at);
        }
        for (var entries : recorded.entrySet()) {
            String type = entries.getKey();
            if (!Set.of("ACTIVATED", "ASSIGNED", "VOIDED").contains(type)) {
                // entries that record no transition (e.g. an email held), or types newer than this checker
                result.add("other entries", entries.getValue().size());
                continue;
            }
            Set<String> unexplained = new TreeSet<>(entries.getValue());
            unexplained.removeAll(expected.getOrDefault(type, Set.of()));
            for (String at : unexplained) {
                checked.violation(result, key.keyId, type + " entry at " + at + " but the key is " + parsed.storedStatus()
                        + (expected.containsKey(type) ? " with that transition at " + expected.get(type).iterator().next() : " without that transition"));
            }
        }
    }

    /** The counters of each distributor against the buckets its keys fall in ({@link KeyItems#buckets}). */
    private static void counters(Map<String, Map<String, Map<String, Long>>> stored, Checked checked) {
        InvariantReport.Builder result = checked.counters;
        Set<String> distributors = new TreeSet<>(stored.keySet());
        distributors.addAll(checked.expectedCounters.keySet());
        result.set("distributors", distributors.size());
        for (String distributor : distributors) {
            var has = stored.getOrDefault(distributor, Map.of());
            var should = checked.expectedCounters.getOrDefault(distributor, Map.of());
            Set<String> items = new TreeSet<>(has.keySet());
            items.addAll(should.keySet());
            for (String sk : items) {
                Set<String> buckets = new TreeSet<>(has.getOrDefault(sk, Map.of()).keySet());
                buckets.addAll(should.getOrDefault(sk, Map.of()).keySet());
                for (String bucket : buckets) {
                    long counter = has.getOrDefault(sk, Map.of()).getOrDefault(bucket, 0L);
                    long keys = should.getOrDefault(sk, Map.of()).getOrDefault(bucket, 0L);
                    result.count("buckets");
                    if (counter != keys) {
                        result.count("off");
                        checked.violation(result, null, COUNTS_PREFIX + distributor + "/" + sk + " " + bucket + ": counter " + counter
                                + ", keys " + keys);
                    }
                }
            }
        }
        for (var distributor : checked.expectedCounters.entrySet()) {
            distributor.getValue().getOrDefault(KeyItems.TOTAL, Map.of()).forEach((bucket, n) ->
                    result.add(bucket.substring(0, bucket.indexOf('|')), n));
        }
    }

    /** An activation is counted in the report (its key's marker names the same cell), or recent enough for the stream to be behind. */
    private void reportCounted(String keyId, PrepaidKey key, Map<String, String> counted, Checked checked, Instant now) {
        if (key.activation() == null || key.activation().activatedAt() == null || key.distributorId() == null) return;
        InvariantReport.Builder result = checked.report;
        result.count("activations");
        String cell = DynamoActivationTallies.cell(KeyItems.day(key.activation().activatedAt()), key.distributorId(), key.productSku());
        checked.activatedCells.put(keyId, cell);
        String marked = counted.get(keyId);
        if (marked == null) {
            if (Duration.between(key.activation().activatedAt(), now).compareTo(stuckAfter) < 0) result.count("not yet counted");
            else checked.violation(result, keyId, "activated at " + Timestamps.format(key.activation().activatedAt()) + ", not counted in the report");
        } else if (!marked.equals(cell)) {
            checked.violation(result, keyId, "counted as " + marked + ", activated as " + cell);
        } else {
            result.count("counted");
        }
    }

    /** Each counter against the keys counted in it; each counted key an activation. */
    private static void report(Items items, Checked checked) {
        InvariantReport.Builder result = checked.report;
        Map<String, Long> countedPerCell = new TreeMap<>();
        items.reportCounted.forEach((keyId, cell) -> {
            countedPerCell.merge(cell, 1L, Long::sum);
            if (!checked.activatedCells.containsKey(keyId)) checked.violation(result, null, "key " + keyId + " is counted (" + cell + ") and not activated");
        });
        Set<String> cells = new TreeSet<>(items.reportCells.keySet());
        cells.addAll(countedPerCell.keySet());
        result.set("cells", cells.size());
        for (String cell : cells) {
            long counter = items.reportCells.getOrDefault(cell, 0L);
            long keys = countedPerCell.getOrDefault(cell, 0L);
            if (counter != keys) {
                result.count("off");
                checked.violation(result, null, DynamoActivationTallies.MONTH_PREFIX + cell.substring(0, 7) + "/" + cell + ": counter " + counter
                        + ", counted keys " + keys);
            }
        }
    }

    private void batches(Map<String, Map<String, AttributeValue>> batches, Map<String, Integer> keysPerBatch, Checked checked, Instant now) {
        InvariantReport.Builder result = checked.batches;
        for (var batch : batches.entrySet()) {
            String state = Objects.requireNonNullElse(str(batch.getValue(), "state"), "(none)");
            result.count("batches").count(state);
            AttributeValue quantityValue = batch.getValue().get("quantity");
            long quantity = quantityValue == null || quantityValue.n() == null ? -1 : Long.parseLong(quantityValue.n());
            int keys = keysPerBatch.getOrDefault(batch.getKey(), 0);
            result.add("keys", keys);
            if (state.equals("COMPLETE") && keys != quantity) {
                checked.violation(result, null, "batch " + batch.getKey() + " is COMPLETE with " + keys + " keys of " + quantity
                        + (keys < quantity ? " (keys lost)" : ""));
            } else if (state.equals("MINTING")) {
                Instant created = KeyItems.instant(batch.getValue(), "createdAt");
                Duration age = created == null ? null : Duration.between(created, now);
                if (age == null || age.compareTo(stuckAfter) > 0) {
                    checked.violation(result, null, "batch " + batch.getKey() + " MINTING for " + human(age) + " with " + keys + " of "
                            + quantity + " keys: a mint cut short");
                }
            }
        }
    }

    /** Lambda's longest timeout and the lease's margin: no claim can rightly be held longer. */
    private static final Duration LONGEST_RUN = Duration.ofMinutes(15).plusSeconds(5);

    private static void idempotency(List<Map<String, AttributeValue>> records, Checked checked, Instant now) {
        InvariantReport.Builder result = checked.idempotency;
        for (var record : records) {
            result.count("records");
            long ttl = number(record, "ttl", Long.MAX_VALUE);
            if (ttl < now.getEpochSecond()) {
                // expired: counts as absent, whatever TTL has not deleted yet
                result.count("expired");
                continue;
            }
            String state = Objects.requireNonNullElse(str(record, "state"), "(none)");
            result.count(state);
            if (!state.equals("IN_PROGRESS")) continue;
            long lockedUntil = number(record, "lockedUntil", Long.MAX_VALUE);
            if (lockedUntil < now.toEpochMilli()) {
                // a run cut off (killed, timed out) could not give its key back; the lease ended, and
                // the next retry takes the key over: nothing waits on it
                result.count("abandoned");
            } else if (lockedUntil > now.plus(LONGEST_RUN).toEpochMilli()) {
                result.count("stuck");
                checked.violation(result, null, str(record, PK) + " IN_PROGRESS, "
                        + (lockedUntil == Long.MAX_VALUE ? "without a lease" : "held for " + human(Duration.ofMillis(lockedUntil - now.toEpochMilli())))
                        + ": longer than any Lambda invocation lasts, so retries are refused for nothing");
            }
        }
    }

    /**
     * Ties the mail service's messages to activations: first by the messageId a SENT email kept,
     * then, for messages no email item names (a sender that died before marking, or a second send),
     * by recipient and masked key (the subject carries it).
     */
    private static void sentOnce(Items items, List<SentEmail> sent, Checked checked) {
        InvariantReport.Builder result = checked.emailSentOnce;
        result.set("messages", sent.size());
        Map<String, SentEmail> byMessageId = new HashMap<>();
        sent.forEach(email -> byMessageId.put(email.messageId(), email));
        Map<String, Integer> sends = new HashMap<>();
        Set<String> tied = new HashSet<>();
        Map<String, Map<String, AttributeValue>> emails = new LinkedHashMap<>();
        items.keys.forEach((pk, partition) -> {
            var email = partition.get(DynamoEmailOutbox.SK_VALUE);
            if (email != null) emails.put(pk.substring(KEY_PREFIX.length()), email);
        });
        for (var email : emails.entrySet()) {
            String messageId = str(email.getValue(), "messageId");
            if (messageId == null) continue;
            if (byMessageId.containsKey(messageId)) {
                tied.add(messageId);
                sends.merge(email.getKey(), 1, Integer::sum);
            } else if ("SENT".equals(str(email.getValue(), "state"))) {
                result.count("lost");
                checked.violation(result, email.getKey(), "SENT as message " + messageId + ", which the mail service does not hold");
            }
        }
        Map<String, List<String>> byRecipientAndKey = new HashMap<>();
        emails.forEach((keyId, email) -> {
            String to = str(email, "to");
            String masked = str(email, "maskedKey");
            if (to != null && masked != null) byRecipientAndKey.computeIfAbsent(to.toLowerCase(Locale.ROOT) + " " + masked, k -> new ArrayList<>()).add(keyId);
        });
        for (SentEmail email : sent) {
            if (tied.contains(email.messageId())) continue;
            List<String> candidates = new ArrayList<>();
            for (String to : email.to()) {
                String masked = maskedKeyIn(email.subject());
                if (masked != null) candidates.addAll(byRecipientAndKey.getOrDefault(to.toLowerCase(Locale.ROOT) + " " + masked, List.of()));
            }
            if (candidates.isEmpty()) result.count("not this table's");
            else if (candidates.size() > 1) result.count("ambiguous");
            else {
                result.count("tied by address");
                sends.merge(candidates.getFirst(), 1, Integer::sum);
            }
        }
        for (var email : emails.entrySet()) {
            String keyId = email.getKey();
            int n = sends.getOrDefault(keyId, 0);
            String state = Objects.requireNonNullElse(str(email.getValue(), "state"), "(none)");
            // a back-office resend mails the same activation again, on purpose
            int allowed = str(email.getValue(), "resendRequestedAt") == null ? 1 : 2;
            if (n == 1) result.count("sent once");
            if (n > allowed) {
                result.count("duplicated");
                checked.violation(result, keyId, state + " email sent " + n + " times");
            } else if (n > 0 && state.equals("SENDING")) {
                result.count("sent, not marked");
            } else if (n > 0 && !state.equals("SENT") && str(email.getValue(), "resendRequestedAt") == null) {
                result.count("duplicated");
                checked.violation(result, keyId, state + " email that the mail service already took: it would go out again");
            }
        }
    }

    /** {@code *****-*****-*****-*****-7K3QZ} in a subject, or null. */
    static String maskedKeyIn(String subject) {
        if (subject == null) return null;
        var matcher = MASKED.matcher(subject);
        return matcher.find() ? matcher.group() : null;
    }

    private static final Pattern MASKED = Pattern.compile("\\*{5}-\\*{5}-\\*{5}-\\*{5}-[0-9A-Z]{5}");

    private static Instant latest(Map<String, AttributeValue> item, String... names) {
        Instant latest = null;
        for (String name : names) {
            Instant at = KeyItems.instant(item, name);
            if (at != null && (latest == null || at.isAfter(latest))) latest = at;
        }
        return latest;
    }

    private static long number(Map<String, AttributeValue> item, String name, long absent) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? absent : Long.parseLong(value.n());
    }

    static String human(Duration age) {
        if (age == null) return "an unknown time";
        long seconds = age.toSeconds();
        if (seconds < 120) return seconds + " s";
        if (seconds < 7200) return seconds / 60 + " min";
        if (seconds < 172_800) return seconds / 3600 + " h";
        return seconds / 86_400 + " days";
    }

    // ---- what was read ---------------------------------------------------------------------------

    /** The items the checks need, by kind; products, licences and attempt logs are not kept. */
    private static final class Items {
        final Map<String, Map<String, Map<String, AttributeValue>>> keys = new LinkedHashMap<>();
        final Map<String, Map<String, Map<String, Long>>> counters = new TreeMap<>();
        final Map<String, Map<String, AttributeValue>> batches = new LinkedHashMap<>();
        final List<Map<String, AttributeValue>> idempotency = new ArrayList<>();
        /** The report's counters by cell ({@code <day>#<distributor>#<sku>}), and the cell each counted key was counted in. */
        final Map<String, Long> reportCells = new TreeMap<>();
        final Map<String, String> reportCounted = new HashMap<>();

        void add(Map<String, AttributeValue> item) {
            String pk = str(item, PK);
            String sk = str(item, SK);
            if (pk == null || sk == null) return;
            if (pk.startsWith(KEY_PREFIX)) keys.computeIfAbsent(pk, p -> new LinkedHashMap<>()).put(sk, item);
            else if (pk.startsWith(COUNTS_PREFIX)) {
                Map<String, Long> buckets = new TreeMap<>();
                item.forEach((name, value) -> {
                    if (name.contains("|") && value.n() != null) buckets.put(name, Long.parseLong(value.n()));
                });
                counters.computeIfAbsent(pk.substring(COUNTS_PREFIX.length()), d -> new TreeMap<>()).put(sk, buckets);
            } else if (pk.startsWith(BATCH_PREFIX) && sk.equals("BATCH")) batches.put(pk.substring(BATCH_PREFIX.length()), item);
            else if (pk.startsWith(IDEMPOTENCY_PREFIX)) idempotency.add(item);
            else if (pk.startsWith(DynamoActivationTallies.MONTH_PREFIX)) {
                var counter = item.get("activations");
                reportCells.put(sk, counter == null || counter.n() == null ? 0L : Long.parseLong(counter.n()));
            } else if (pk.startsWith(DynamoActivationTallies.COUNTED_PREFIX)) {
                reportCounted.put(pk.substring(DynamoActivationTallies.COUNTED_PREFIX.length()),
                        str(item, "day") + "#" + str(item, "distributorId") + "#" + str(item, "productSku"));
            }
        }

        void replacePartition(String pk, List<Map<String, AttributeValue>> items) {
            keys.remove(pk);
            items.forEach(this::add);
        }
    }

    /** One key's partition: the key item, its history entries and its email item. */
    private record KeyPartition(String keyId, Map<String, AttributeValue> item, List<Map<String, AttributeValue>> events,
                                Map<String, AttributeValue> email) {
        static KeyPartition of(String keyId, Collection<Map<String, AttributeValue>> items) {
            Map<String, AttributeValue> key = null;
            Map<String, AttributeValue> email = null;
            List<Map<String, AttributeValue>> events = new ArrayList<>();
            for (var item : items) {
                String sk = str(item, SK);
                if (sk.equals(KeyItems.KEY_SK)) key = item;
                else if (sk.equals(DynamoEmailOutbox.SK_VALUE)) email = item;
                else if (sk.startsWith("EVENT#")) events.add(item);
            }
            return new KeyPartition(keyId, key, events, email);
        }
    }

    /** The results being built, and the keys whose violations deserve a second, consistent look. */
    private static final class Checked {
        final InvariantReport.Builder emailPerActivation = new InvariantReport.Builder(EMAIL_PER_ACTIVATION,
                "every activated key has exactly one EMAIL#ACTIVATION item, and no such item exists without an activation");
        final InvariantReport.Builder emailAccounted = new InvariantReport.Builder(EMAIL_ACCOUNTED,
                "every confirmation email is SENT, or accounted for: PENDING or SENDING with its age, FAILED with its error, HELD with its reason");
        final InvariantReport.Builder emailSentOnce = new InvariantReport.Builder(EMAIL_SENT_ONCE,
                "no activation was mailed twice, and every SENT email is in the mail service");
        final InvariantReport.Builder counters = new InvariantReport.Builder(COUNTERS,
                "each distributor's COUNTS items equal what its keys add up to, bucket by bucket");
        final InvariantReport.Builder keyState = new InvariantReport.Builder(KEY_STATE,
                "each key is in one state: its fields and index entries are those of its stored status");
        final InvariantReport.Builder history = new InvariantReport.Builder(HISTORY,
                "each transition a key shows has its history entry (ISSUED: its batch), and no entry records another");
        final InvariantReport.Builder batches = new InvariantReport.Builder(BATCHES,
                "a COMPLETE batch holds as many keys as it says; no batch is left MINTING");
        final InvariantReport.Builder idempotency = new InvariantReport.Builder(IDEMPOTENCY,
                "no Idempotency-Key claim holds its key longer than a run can last");
        final InvariantReport.Builder deadLetters = new InvariantReport.Builder(DEAD_LETTERS,
                "FAILED emails, each of which put a message on the dead-letter queue (counted, never a violation)");
        final InvariantReport.Builder report = new InvariantReport.Builder(REPORT,
                "the activation report's counters equal the activations they count, per day, distributor and product");
        final Map<String, String> activatedCells = new HashMap<>();
        final boolean mailChecked;
        final Set<String> suspectKeys = new TreeSet<>();
        final Map<String, Map<String, Map<String, Long>>> expectedCounters = new TreeMap<>();
        final Map<String, Duration> oldest = new HashMap<>();
        final Map<String, InvariantReport.Tally> byDistributor = new TreeMap<>();
        final Map<String, InvariantReport.Tally> byProduct = new TreeMap<>();

        Checked(boolean mailChecked) {
            this.mailChecked = mailChecked;
        }

        void violation(InvariantReport.Builder result, String keyId, String what) {
            result.violation(keyId == null ? what : "key " + keyId + ": " + what);
            if (keyId != null) suspectKeys.add(keyId);
        }

        void expectCounters(PrepaidKey key) {
            if (key.distributorId() == null || key.activation() == null || key.activation().activatedAt() == null) return;
            KeyItems.buckets(key).forEach((sk, bucket) -> expectedCounters.computeIfAbsent(key.distributorId().value(), d -> new TreeMap<>())
                    .computeIfAbsent(sk, s -> new TreeMap<>()).merge(bucket, 1L, Long::sum));
        }

        /** The key in the activation figures: activated by its distributor, assigned, voided; of its product. */
        void tally(PrepaidKey key) {
            var tally = new InvariantReport.Tally(key.activation() == null ? 0 : 1, key.assignment() == null ? 0 : 1,
                    key.voiding() == null ? 0 : 1);
            if (tally.equals(InvariantReport.Tally.ZERO)) return;
            byDistributor.merge(key.distributorId() == null ? InvariantReport.NO_DISTRIBUTOR : key.distributorId().value(), tally, InvariantReport.Tally::plus);
            byProduct.merge(Objects.requireNonNullElse(key.productSku(), "(none)"), tally, InvariantReport.Tally::plus);
        }

        void oldest(String state, Duration age) {
            if (age != null) oldest.merge(state, age, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }

        long violations() {
            return all().stream().mapToLong(InvariantReport.Builder::violationCount).sum();
        }

        List<InvariantReport.Builder> all() {
            List<InvariantReport.Builder> all = new ArrayList<>(List.of(emailPerActivation, emailAccounted));
            if (mailChecked) all.add(emailSentOnce);
            all.addAll(List.of(counters, keyState, history, batches, idempotency, deadLetters, report));
            return all;
        }

        InvariantReport report(String table, long read, List<String> notes) {
            List<InvariantReport.Result> results = new ArrayList<>();
            var e = emailPerActivation;
            results.add(e.build(f("%,d activated keys, %,d with their email item: %,d lost, %,d orphan", e.get("activated"),
                    e.get("with email"), e.get("lost"), e.get("orphan"))));
            var a = emailAccounted;
            for (String state : List.of("PENDING", "SENDING")) {
                if (oldest.containsKey(state)) a.set("oldest " + state + " seconds", oldest.get(state).toSeconds());
            }
            results.add(a.build(f("%,d SENT, %,d PENDING%s, %,d SENDING%s, %,d FAILED, %,d HELD: %,d lost", a.get("SENT"), a.get("PENDING"),
                    age("PENDING"), a.get("SENDING"), age("SENDING") + (a.get("SENDING for ops") > 0
                            ? f(", %,d for ops to decide (a sender died between SES and the mark)", a.get("SENDING for ops")) : ""),
                    a.get("FAILED"), a.get("HELD"), a.get("lost"))));
            if (mailChecked) {
                var s = emailSentOnce;
                results.add(s.build(f("%,d messages in the mail service: %,d activations mailed once, %,d sent and not marked (SENDING, "
                        + "accounted for), %,d duplicated, %,d lost; %,d not this table's, %,d ambiguous", s.get("messages"),
                        s.get("sent once"), s.get("sent, not marked"), s.get("duplicated"), s.get("lost"), s.get("not this table's"),
                        s.get("ambiguous"))));
            }
            var c = counters;
            results.add(c.build(f("%,d distributors, %,d buckets compared: %,d off (keys: %,d AVAILABLE, %,d USED, %,d VOID)",
                    c.get("distributors"), c.get("buckets"), c.get("off"), c.get("AVAILABLE"), c.get("USED"), c.get("VOID"))));
            var k = keyState;
            results.add(k.build(f("%,d keys (%,d ISSUED, %,d AVAILABLE, %,d USED, %,d VOID): %,d in two states", k.get("keys"),
                    k.get("ISSUED"), k.get("AVAILABLE"), k.get("USED"), k.get("VOID"), k.violationCount())));
            var h = history;
            results.add(h.build(f("%,d ISSUED (their batch), %,d later transitions, %,d with their entry: %,d missing or unexplained",
                    h.get("issued"), h.get("transitions"), h.get("recorded"), h.violationCount())));
            var b = batches;
            results.add(b.build(f("%,d batches (%,d COMPLETE, %,d MINTING) holding %,d keys: %,d wrong", b.get("batches"), b.get("COMPLETE"),
                    b.get("MINTING"), b.get("keys"), b.violationCount())));
            var i = idempotency;
            results.add(i.build(f("%,d records: %,d COMPLETED, %,d IN_PROGRESS (%,d of them abandoned by a run cut off, free to a retry), "
                    + "%,d expired: %,d stuck", i.get("records"), i.get("COMPLETED"), i.get("IN_PROGRESS") - i.get("stuck"), i.get("abandoned"),
                    i.get("expired"), i.get("stuck"))));
            var d = deadLetters;
            StringBuilder errors = new StringBuilder();
            d.counts().forEach((name, n) -> {
                if (name.startsWith("error ")) errors.append(errors.isEmpty() ? " (" : ", ").append(name.substring(6)).append(' ').append(n);
            });
            if (!errors.isEmpty()) errors.append(')');
            results.add(d.build(f("%,d FAILED emails%s, each a message on the dead-letter queue (in AWS: compare with its "
                    + "ApproximateNumberOfMessages)", d.get("FAILED"), errors)));
            var r = report;
            results.add(r.build(f("%,d activations: %,d counted in the report, %,d not yet (recent: the stream's tally follows); %,d cells: %,d off; %,d violations",
                    r.get("activations"), r.get("counted"), r.get("not yet counted"), r.get("cells"), r.get("off"),
                    r.violationCount())));
            return new InvariantReport(table, read, results, notes, new InvariantReport.Activations(byDistributor, byProduct));
        }

        private String age(String state) {
            Duration age = oldest.get(state);
            return age == null ? "" : " (oldest " + human(age) + ")";
        }

        private static String f(String format, Object... args) {
            return String.format(Locale.ROOT, format, args);
        }
    }
}
