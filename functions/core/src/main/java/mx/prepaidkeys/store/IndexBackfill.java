package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyItems.s;
import static mx.prepaidkeys.store.KeyItems.str;
import static mx.prepaidkeys.store.KeyTable.PK;
import static mx.prepaidkeys.store.KeyTable.SK;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import mx.prepaidkeys.store.KeyTable.Index;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Gives items written before an index entry existed their entry: every key its {@code GSI8} entry
 * (the back office's search by the last five symbols) and every batch its {@code GSI1} and
 * {@code GSI4} entries (the batch list). Both follow from attributes that never change (a key's
 * masked form and id; a batch's creation, id and product), so a transition that rewrites a key
 * meanwhile writes the same values, and running it again, or during traffic, writes nothing more.
 *
 * <p>The one Scan of the service, for operators ({@code make backfill-indexes}), once after the
 * deployment that added the index: no request path ever scans.
 */
public final class IndexBackfill {
    /** What a run did: items the Scan read, entries it wrote, read capacity it used. */
    public record Result(long scanned, long keys, long batches, double readUnits) {}

    private IndexBackfill() {}

    public static Result run(DynamoDbClient dynamo, String table, int segments) {
        AtomicLong scanned = new AtomicLong();
        AtomicLong keys = new AtomicLong();
        AtomicLong batches = new AtomicLong();
        double[] units = new double[segments];
        ExecutorService workers = Executors.newFixedThreadPool(segments);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int segment = 0; segment < segments; segment++) {
                int mine = segment;
                running.add(workers.submit(() -> {
                    Map<String, AttributeValue> start = null;
                    do {
                        ScanResponse page = dynamo.scan(missing(table, mine, segments, start));
                        scanned.addAndGet(page.scannedCount());
                        if (page.consumedCapacity() != null && page.consumedCapacity().capacityUnits() != null) {
                            units[mine] += page.consumedCapacity().capacityUnits();
                        }
                        for (var item : page.items()) {
                            if ("KEY".equals(str(item, "type"))) {
                                String keyId = str(item, "keyId");
                                if (add(dynamo, table, item, Index.GSI8, KeyItems.keyEndPk(str(item, "maskedKey")), keyId)) {
                                    keys.incrementAndGet();
                                }
                            } else {
                                var entries = KeyItems.batchIndexEntries(str(item, "batchId"), str(item, "createdAt"), str(item, "productSku"));
                                if (add(dynamo, table, item, entries)) batches.incrementAndGet();
                            }
                        }
                        start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
                    } while (start != null);
                    return null;
                }));
            }
            for (Future<?> each : running) each.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("backfill failed: " + e.getCause(), e.getCause());
        } finally {
            workers.shutdownNow();
        }
        double total = 0;
        for (double each : units) total += each;
        return new Result(scanned.get(), keys.get(), batches.get(), total);
    }

    /** One segment of the table: only the keys and batches that lack their entries, only what they are computed from. */
    private static ScanRequest missing(String table, int segment, int segments, Map<String, AttributeValue> start) {
        ScanRequest.Builder scan = ScanRequest.builder().tableName(table).segment(segment).totalSegments(segments)
                .filterExpression("(#type = :key AND attribute_not_exists(#keyEnd)) OR (#type = :batch AND attribute_not_exists(#batches))")
                .projectionExpression("#pk, #sk, #type, keyId, maskedKey, batchId, createdAt, productSku")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK, "#type", "type", "#keyEnd", Index.GSI8.pk(),
                        "#batches", Index.GSI1.pk()))
                .expressionAttributeValues(Map.of(":key", s("KEY"), ":batch", s("BATCH")))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        if (start != null) scan.exclusiveStartKey(start);
        return scan.build();
    }

    private static boolean add(DynamoDbClient dynamo, String table, Map<String, AttributeValue> item, Index index, String pk, String sk) {
        return add(dynamo, table, item, Map.of(index.pk(), s(pk), index.sk(), s(sk)));
    }

    /** Sets the entries on an item that still exists and still lacks them (a transition may have written them meanwhile). */
    private static boolean add(DynamoDbClient dynamo, String table, Map<String, AttributeValue> item, Map<String, AttributeValue> entries) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", PK));
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> sets = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        int i = 0;
        for (var entry : entries.entrySet()) {
            names.put("#e" + i, entry.getKey());
            values.put(":e" + i, entry.getValue());
            sets.add("#e" + i + " = :e" + i);
            absent.add("attribute_not_exists(#e" + i + ")");
            i++;
        }
        try {
            dynamo.updateItem(r -> r.tableName(table).key(Map.of(PK, item.get(PK), SK, item.get(SK)))
                    .updateExpression("SET " + String.join(", ", sets))
                    .conditionExpression("attribute_exists(#pk) AND " + String.join(" AND ", absent))
                    .expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException writtenMeanwhile) {
            return false;
        }
    }
}
