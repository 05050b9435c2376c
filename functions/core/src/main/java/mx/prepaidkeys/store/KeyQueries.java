package mx.prepaidkeys.store;

import static mx.prepaidkeys.domain.KeyStatus.AVAILABLE;
import static mx.prepaidkeys.domain.KeyStatus.EXPIRED;
import static mx.prepaidkeys.domain.KeyStatus.USED;
import static mx.prepaidkeys.domain.KeyStatus.VOID;
import static mx.prepaidkeys.store.KeyItems.s;
import static mx.prepaidkeys.store.KeyTable.PK;
import static mx.prepaidkeys.store.KeyTable.SK;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.KeyFilter;
import mx.prepaidkeys.domain.KeyRepository.KeyPage;
import mx.prepaidkeys.domain.KeySort;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.StatusCounts;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.store.KeyTable.Index;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * "Claves prepago" on DynamoDB: every filter is a Query on the index built for it (docs/data-model.md,
 * "How each filter is served"), never a scan. The most selective filter picks the index and the
 * partitions; the others become a filter expression. Partitions of several statuses are merged in
 * one order. A request reads at most {@link #READ_BUDGET} items: a page can come back short, with a
 * cursor to go on, but never slow.
 */
final class KeyQueries {
    /** Items one list request may read, whatever the filter. */
    static final int READ_BUDGET = 2_000;
    /** Keys a client or key-suffix filter counts by reading them. */
    static final int COUNT_BUDGET = 5_000;
    /** Above every character a sort key holds (U+10FFFF), to turn a prefix into a range. */
    private static final String TOP = "\uDBFF\uDFFF";
    private static final String BOTTOM = "0";

    private final DynamoDbClient dynamo;
    private final String table;
    private final DistributorCounters counters;

    KeyQueries(DynamoDbClient dynamo, String table, DistributorCounters counters) {
        this.dynamo = dynamo;
        this.table = table;
        this.counters = counters;
    }

    /** One partition of one index to read, between two sort keys, with a filter on what comes back. */
    private record Partition(String pk, String low, String high, Filter filter) {}

    /** A filter expression with its names and values; an empty expression filters nothing. */
    private record Filter(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
        static final Filter NONE = new Filter("", Map.of(), Map.of());
    }

    /** The index and partitions that serve a filter and an order. */
    private record Plan(Index index, List<Partition> partitions, boolean descending) {
        static Plan empty() {
            return new Plan(Index.GSI1, List.of(), true);
        }
    }

    // ---- pages --------------------------------------------------------------------------------

    KeyPage page(DistributorId distributorId, KeyFilter filter, KeySort sort, int limit, String after, Instant now) {
        Plan plan = plan(distributorId, filter, sort, now);
        List<Reader> readers = plan.partitions().stream().map(p -> new Reader(plan, p, after)).toList();
        int budget = READ_BUDGET;
        for (Reader reader : readers) budget -= reader.read(limit + 1, Math.max(budget / Math.max(1, readers.size()), limit + 1));
        Comparator<String> order = plan.descending() ? Comparator.reverseOrder() : Comparator.naturalOrder();

        // Only items no unread part of another partition could come before are safe to answer.
        String frontier = null;
        for (Reader reader : readers) {
            if (reader.exhausted) continue;
            if (frontier == null || order.compare(reader.readUpTo, frontier) > 0) frontier = reader.readUpTo;
        }
        List<Map<String, AttributeValue>> merged = new ArrayList<>();
        readers.forEach(reader -> merged.addAll(reader.accepted));
        merged.sort(Comparator.comparing((Map<String, AttributeValue> item) -> item.get(plan.index().sk()).s(), order));
        List<Map<String, AttributeValue>> safe = new ArrayList<>();
        for (var item : merged) {
            if (frontier != null && order.compare(item.get(plan.index().sk()).s(), frontier) > 0) break;
            safe.add(item);
        }
        List<PrepaidKey> items = safe.stream().limit(limit).map(KeyItems::toKey).toList();
        String next;
        if (safe.size() > limit || (items.size() == limit && frontier != null)) {
            next = safe.get(limit - 1).get(plan.index().sk()).s();
        } else {
            next = frontier;
        }
        return new KeyPage(items, next);
    }

    /**
     * Every matching key in the list's order (the CSV export), up to {@code max}: each partition is
     * read once, a DynamoDB page at a time, and merged as it streams.
     */
    int each(DistributorId distributorId, KeyFilter filter, KeySort sort, Instant now, int max, Consumer<PrepaidKey> row) {
        Plan plan = plan(distributorId, filter, sort, now);
        Comparator<String> order = plan.descending() ? Comparator.reverseOrder() : Comparator.naturalOrder();
        java.util.PriorityQueue<Stream> heads = new java.util.PriorityQueue<>(Comparator.comparing(Stream::headKey, order));
        for (Partition partition : plan.partitions()) {
            Stream stream = new Stream(plan, partition);
            if (stream.advance()) heads.add(stream);
        }
        int rows = 0;
        while (!heads.isEmpty() && rows < max) {
            Stream first = heads.poll();
            row.accept(KeyItems.toKey(first.head));
            rows++;
            if (first.advance()) heads.add(first);
        }
        return rows;
    }

    /** One partition read front to back, a page of up to 1,000 items at a time. */
    private final class Stream {
        private final Plan plan;
        private final Reader reader;
        private java.util.Iterator<Map<String, AttributeValue>> buffered = java.util.Collections.emptyIterator();
        private Map<String, AttributeValue> head;

        Stream(Plan plan, Partition partition) {
            this.plan = plan;
            this.reader = new Reader(plan, partition, null);
        }

        boolean advance() {
            while (!buffered.hasNext()) {
                if (reader.exhausted) return false;
                reader.accepted.clear();
                reader.read(1_000, Integer.MAX_VALUE);
                buffered = new ArrayList<>(reader.accepted).iterator();
            }
            head = buffered.next();
            return true;
        }

        String headKey() {
            return head.get(plan.index().sk()).s();
        }
    }

    /** Reads one partition, following DynamoDB's pages, until enough items or its share of the budget. */
    private final class Reader {
        private final Plan plan;
        private final Partition partition;
        private final String after;
        private final List<Map<String, AttributeValue>> accepted = new ArrayList<>();
        private Map<String, AttributeValue> start;
        private boolean exhausted;
        private String readUpTo;

        Reader(Plan plan, Partition partition, String after) {
            this.plan = plan;
            this.partition = partition;
            this.after = after;
        }

        /** @return items read (scanned), to charge against the request's budget */
        int read(int wanted, int budget) {
            int scanned = 0;
            String low = partition.low();
            String high = partition.high();
            if (after != null) {
                // BETWEEN is inclusive: the cursor's own item comes back and is dropped below.
                if (plan.descending() && after.compareTo(high) < 0) high = after;
                if (!plan.descending() && after.compareTo(low) > 0) low = after;
            }
            if (low.compareTo(high) > 0) {
                exhausted = true;
                return 0;
            }
            Map<String, String> names = new HashMap<>(partition.filter().names());
            names.put("#pk", plan.index().pk());
            names.put("#sk", plan.index().sk());
            Map<String, AttributeValue> values = new HashMap<>(partition.filter().values());
            values.put(":pk", s(partition.pk()));
            values.put(":low", s(low));
            values.put(":high", s(high));
            int batch = wanted - accepted.size() + 1;
            while (accepted.size() < wanted && scanned < budget) {
                QueryRequest.Builder request = QueryRequest.builder().tableName(table).indexName(plan.index().name())
                        .keyConditionExpression("#pk = :pk AND #sk BETWEEN :low AND :high")
                        .expressionAttributeNames(names).expressionAttributeValues(values)
                        .scanIndexForward(!plan.descending())
                        .limit(Math.max(1, Math.min(batch, budget - scanned)))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
                if (!partition.filter().expression().isEmpty()) request.filterExpression(partition.filter().expression());
                if (start != null) request.exclusiveStartKey(start);
                QueryResponse response = dynamo.query(request.build());
                ReadMeter.add(response);
                scanned += response.scannedCount();
                for (var item : response.items()) {
                    if (after == null || !after.equals(item.get(plan.index().sk()).s())) accepted.add(item);
                }
                start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
                if (start == null) {
                    exhausted = true;
                    break;
                }
                readUpTo = start.get(plan.index().sk()).s();
                // Read no more than a page needs; when a filter keeps few items, read more each round.
                batch = partition.filter().expression().isEmpty() ? wanted - accepted.size() + 1 : Math.min(batch * 2, 500);
            }
            return scanned;
        }
    }

    // ---- plans --------------------------------------------------------------------------------

    private Plan plan(DistributorId distributorId, KeyFilter filter, KeySort sort, Instant now) {
        Set<KeyStatus> statuses = filter.statuses();
        if (filter.byClient()) {
            if (!statuses.contains(USED)) return Plan.empty(); // only used keys have a client
            Filter rest = new Conditions(now).product(filter).suffix(filter).dates(filter, filter.clientRfc() == null).build();
            if (filter.clientRfc() != null) {
                return new Plan(Index.GSI5, List.of(new Partition(KeyItems.rfcPartition(distributorId, filter.clientRfc()),
                        low(filter), high(filter), rest)), sort.descending());
            }
            String prefix = filter.clientNamePrefix();
            return new Plan(Index.GSI6, List.of(new Partition(KeyItems.namePartition(distributorId), prefix, prefix + TOP, rest)), false);
        }
        if (filter.keySuffix() != null) {
            String reversed = new StringBuilder(filter.keySuffix()).reverse().toString();
            Filter rest = new Conditions(now).statuses(statuses).product(filter).dates(filter, true).build();
            return new Plan(Index.GSI7, List.of(new Partition(KeyItems.suffixPartition(distributorId), reversed, reversed + TOP, rest)), false);
        }
        List<Partition> partitions = new ArrayList<>();
        if (sort.field() == KeySort.Field.EXPIRES_AT) {
            // The expiry order's sort key starts with the expiry: AVAILABLE and EXPIRED split on it.
            String nowKey = Timestamps.format(now) + "#" + TOP;
            Filter rest = new Conditions(now).product(filter).dates(filter, true).build();
            for (var entry : storedPartitions(statuses).entrySet()) {
                String low = entry.getValue() == Split.UNEXPIRED ? nowKey : BOTTOM;
                String high = entry.getValue() == Split.EXPIRED ? nowKey : TOP;
                partitions.add(new Partition(KeyItems.statusPartition(distributorId, entry.getKey()), low, high, rest));
            }
            return new Plan(Index.GSI3, partitions, sort.descending());
        }
        boolean byProduct = filter.productSku() != null;
        for (var entry : storedPartitions(statuses).entrySet()) {
            Filter rest = new Conditions(now).split(entry.getValue()).build();
            String pk = byProduct ? KeyItems.productPartition(distributorId, filter.productSku(), entry.getKey())
                    : KeyItems.statusPartition(distributorId, entry.getKey());
            partitions.add(new Partition(pk, low(filter), high(filter), rest));
        }
        return new Plan(byProduct ? Index.GSI4 : Index.GSI1, partitions, sort.descending());
    }

    /** Sort keys of activation order start with the activation time: a date range is a key range. */
    private static String low(KeyFilter filter) {
        return filter.activatedFrom() == null ? BOTTOM : Timestamps.format(filter.activatedFrom());
    }

    private static String high(KeyFilter filter) {
        return filter.activatedBefore() == null ? TOP : Timestamps.format(filter.activatedBefore());
    }

    /** How a stored AVAILABLE partition is read: EXPIRED is computed, so both live there. */
    private enum Split { ANY, UNEXPIRED, EXPIRED }

    private static Map<KeyStatus, Split> storedPartitions(Set<KeyStatus> statuses) {
        Map<KeyStatus, Split> partitions = new LinkedHashMap<>();
        boolean available = statuses.contains(AVAILABLE);
        boolean expired = statuses.contains(EXPIRED);
        if (available || expired) {
            partitions.put(AVAILABLE, available && expired ? Split.ANY : available ? Split.UNEXPIRED : Split.EXPIRED);
        }
        for (KeyStatus status : EnumSet.of(USED, VOID)) {
            if (statuses.contains(status)) partitions.put(status, Split.ANY);
        }
        return partitions;
    }

    /** Builds a filter expression clause by clause. */
    private static final class Conditions {
        private final List<String> clauses = new ArrayList<>();
        private final Map<String, String> names = new HashMap<>();
        private final Map<String, AttributeValue> values = new HashMap<>();
        private final Instant now;

        Conditions(Instant now) {
            this.now = now;
        }

        Conditions split(Split split) {
            switch (split) {
                case ANY -> { }
                case UNEXPIRED -> {
                    clauses.add("(attribute_not_exists(expiresAt) OR expiresAt > :now)");
                    values.put(":now", s(Timestamps.format(now)));
                }
                case EXPIRED -> {
                    clauses.add("expiresAt <= :now");
                    values.put(":now", s(Timestamps.format(now)));
                }
            }
            return this;
        }

        /** The statuses people see, on an index that holds every status. */
        Conditions statuses(Set<KeyStatus> statuses) {
            if (statuses.containsAll(EnumSet.of(AVAILABLE, EXPIRED, USED, VOID))) return this;
            List<String> any = new ArrayList<>();
            names.put("#status", "status");
            // DynamoDB refuses values an expression does not use: :now only where expiry splits.
            if (statuses.contains(AVAILABLE) && statuses.contains(EXPIRED)) {
                any.add("#status = :available");
            } else if (statuses.contains(AVAILABLE)) {
                any.add("(#status = :available AND (attribute_not_exists(expiresAt) OR expiresAt > :now))");
                values.put(":now", s(Timestamps.format(now)));
            } else if (statuses.contains(EXPIRED)) {
                any.add("(#status = :available AND expiresAt <= :now)");
                values.put(":now", s(Timestamps.format(now)));
            }
            if (statuses.contains(AVAILABLE) || statuses.contains(EXPIRED)) values.put(":available", s(AVAILABLE.name()));
            if (statuses.contains(USED)) {
                any.add("#status = :used");
                values.put(":used", s(USED.name()));
            }
            if (statuses.contains(VOID)) {
                any.add("#status = :void");
                values.put(":void", s(VOID.name()));
            }
            // DynamoDB refuses redundant parentheses: a single alternative goes in as it is.
            clauses.add(any.size() == 1 ? any.getFirst() : "(" + String.join(" OR ", any) + ")");
            return this;
        }

        Conditions product(KeyFilter filter) {
            if (filter.productSku() != null) {
                clauses.add("productSku = :sku");
                values.put(":sku", s(filter.productSku()));
            }
            return this;
        }

        Conditions suffix(KeyFilter filter) {
            if (filter.keySuffix() != null) {
                clauses.add("begins_with(keySuffixRev, :suffix)");
                values.put(":suffix", s(new StringBuilder(filter.keySuffix()).reverse().toString()));
            }
            return this;
        }

        /** @param asFilter the index is not in activation order, so the range is a filter, not a key range */
        Conditions dates(KeyFilter filter, boolean asFilter) {
            if (!asFilter) return this;
            if (filter.activatedFrom() != null) {
                clauses.add("activatedAt >= :from");
                values.put(":from", s(Timestamps.format(filter.activatedFrom())));
            }
            if (filter.activatedBefore() != null) {
                clauses.add("activatedAt < :before");
                values.put(":before", s(Timestamps.format(filter.activatedBefore())));
            }
            return this;
        }

        Filter build() {
            return clauses.isEmpty() ? Filter.NONE : new Filter(String.join(" AND ", clauses), names, values);
        }
    }

    // ---- counts -------------------------------------------------------------------------------

    /**
     * Counts by status for a filter (its statuses ignored). Status, product and date filters read the
     * counters (two items, or the days of a range, whatever the number of keys); client and
     * key-suffix filters, selective by nature, count the keys they read, up to {@link #COUNT_BUDGET}.
     */
    StatusCounts counts(DistributorId distributorId, KeyFilter filter, Instant now) {
        Map<KeyStatus, Integer> counts = new EnumMap<>(KeyStatus.class);
        for (KeyStatus status : EnumSet.of(AVAILABLE, USED, EXPIRED, VOID)) counts.put(status, 0);
        if (!filter.byClient() && filter.keySuffix() == null) {
            String month = Timestamps.format(now).substring(0, 7);
            String nowText = Timestamps.format(now);
            counters.read(distributorId, filter.activatedFrom(), filter.activatedBefore(), now).forEach((item, buckets) ->
                    buckets.forEach((bucket, count) -> {
                        String[] parts = bucket.split("\\|", -1);
                        if (filter.productSku() != null && !filter.productSku().equals(parts[1])) return;
                        KeyStatus stored = KeyStatus.valueOf(parts[0]);
                        if (stored != AVAILABLE) {
                            counts.merge(stored, count, Integer::sum);
                        } else if (parts[2].equals(KeyItems.NO_EXPIRY)) {
                            counts.merge(AVAILABLE, count, Integer::sum);
                        } else if (parts[2].length() == 7) {
                            // TOTAL's month buckets; this month's keys are counted from EXP#<month> by instant
                            int order = parts[2].compareTo(month);
                            if (order != 0) counts.merge(order < 0 ? EXPIRED : AVAILABLE, count, Integer::sum);
                        } else {
                            counts.merge(parts[2].compareTo(nowText) <= 0 ? EXPIRED : AVAILABLE, count, Integer::sum);
                        }
                    }));
            return new StatusCounts(counts, true);
        }
        KeyFilter all = filter.withStatuses(EnumSet.of(AVAILABLE, EXPIRED, USED, VOID));
        int[] seen = {0};
        each(distributorId, all, KeySort.NEWEST_FIRST, now, COUNT_BUDGET + 1, key -> {
            if (seen[0]++ < COUNT_BUDGET) counts.merge(key.status(now), 1, Integer::sum);
        });
        return new StatusCounts(counts, seen[0] <= COUNT_BUDGET);
    }

    static Map<String, AttributeValue> keyOf(String pk, String sk) {
        return Map.of(PK, s(pk), SK, s(sk));
    }
}
