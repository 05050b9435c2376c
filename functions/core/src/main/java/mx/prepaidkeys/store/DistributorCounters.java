package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyItems.s;
import static mx.prepaidkeys.store.KeyTable.PK;
import static mx.prepaidkeys.store.KeyTable.SK;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.Timestamps;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * A distributor's key counters ({@code COUNTS#<distributorId>}: a {@code TOTAL} item, one per
 * expiry month and one per activation day, each bucket a status, product and expiry;
 * {@link KeyItems#buckets}): moved in the same transaction as every key transition, read by the
 * list's counts, so that counting costs a few reads at any number of keys.
 */
final class DistributorCounters {
    private final DynamoDbClient dynamo;
    private final String table;

    DistributorCounters(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    static String pk(DistributorId distributorId) {
        return "COUNTS#" + distributorId.value();
    }

    /**
     * The counter items of a distributor, by sort key, each bucket with its number: without dates
     * {@code TOTAL} and this month's {@code EXP#} item; with dates the {@code DAY#} items of the range
     * (Mexico City days).
     */
    Map<String, Map<String, Integer>> read(DistributorId distributorId, Instant from, Instant before, Instant now) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        if (from == null && before == null) {
            for (String sk : List.of(KeyItems.TOTAL, "EXP#" + Timestamps.format(now).substring(0, 7))) {
                var item = dynamo.getItem(r -> r.tableName(table).key(Map.of(PK, s(pk(distributorId)), SK, s(sk)))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                ReadMeter.add(item.consumedCapacity());
                if (item.item() != null && !item.item().isEmpty()) items.add(item.item());
            }
        } else {
            String low = "DAY#" + (from == null ? "0000-00-00" : KeyItems.day(from));
            String high = "DAY#" + (before == null ? "9999-99-99" : KeyItems.day(before.minusMillis(1)));
            items.addAll(Pages.items(dynamo, QueryRequest.builder().tableName(table)
                    .keyConditionExpression("#pk = :pk AND #sk BETWEEN :low AND :high")
                    .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                    .expressionAttributeValues(Map.of(":pk", s(pk(distributorId)), ":low", s(low), ":high", s(high)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build()));
        }
        Map<String, Map<String, Integer>> counters = new LinkedHashMap<>();
        for (var item : items) {
            Map<String, Integer> buckets = new HashMap<>();
            item.forEach((name, value) -> {
                if (name.contains("|") && value.n() != null) buckets.put(name, Integer.parseInt(value.n()));
            });
            counters.put(item.get(SK).s(), buckets);
        }
        return counters;
    }

    /** The moves a set of key transitions makes, summed up: one update per counter item (a transaction may touch an item once). */
    Moves moves() {
        return new Moves();
    }

    final class Moves {
        private final Map<String, Map<String, Map<String, Integer>>> deltas = new LinkedHashMap<>();

        /** @param before the key as it was, or null when it held no counters yet (an ISSUED key) */
        Moves move(PrepaidKey before, PrepaidKey after) {
            if (before != null && before.distributorId() != null) add(before, -1);
            if (after.distributorId() != null) add(after, +1);
            return this;
        }

        private void add(PrepaidKey key, int delta) {
            String pk = pk(key.distributorId());
            KeyItems.buckets(key).forEach((sk, bucket) -> deltas.computeIfAbsent(pk, p -> new LinkedHashMap<>())
                    .computeIfAbsent(sk, k -> new TreeMap<>()).merge(bucket, delta, Integer::sum));
        }

        List<Update> updates() {
            List<Update> updates = new ArrayList<>();
            deltas.forEach((pk, items) -> items.forEach((sk, buckets) -> {
                Map<String, String> names = new HashMap<>();
                Map<String, AttributeValue> values = new HashMap<>();
                List<String> adds = new ArrayList<>();
                int i = 0;
                for (var bucket : buckets.entrySet()) {
                    if (bucket.getValue() == 0) continue;
                    names.put("#c" + i, bucket.getKey());
                    values.put(":c" + i, AttributeValue.fromN(Integer.toString(bucket.getValue())));
                    adds.add("#c" + i + " :c" + i);
                    i++;
                }
                if (adds.isEmpty()) return;
                updates.add(Update.builder().tableName(table).key(Map.of(PK, s(pk), SK, s(sk)))
                        .updateExpression("ADD " + String.join(", ", adds))
                        .expressionAttributeNames(names).expressionAttributeValues(values).build());
            }));
            return updates;
        }

        /** Applied on their own, outside any transaction: bulk imports. */
        void apply() {
            updates().forEach(update -> dynamo.updateItem(r -> r.tableName(table).key(update.key())
                    .updateExpression(update.updateExpression()).expressionAttributeNames(update.expressionAttributeNames())
                    .expressionAttributeValues(update.expressionAttributeValues())));
        }
    }
}
