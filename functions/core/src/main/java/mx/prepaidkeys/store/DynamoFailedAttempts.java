package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyItems.s;
import static mx.prepaidkeys.store.KeyTable.GSI1;
import static mx.prepaidkeys.store.KeyTable.GSI1PK;
import static mx.prepaidkeys.store.KeyTable.GSI1SK;
import static mx.prepaidkeys.store.KeyTable.PK;
import static mx.prepaidkeys.store.KeyTable.SK;

import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.activation.AttemptGuard;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.domain.FailedAttempts;
import mx.prepaidkeys.domain.UserId;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Attempts in two items per scope (docs/data-model.md): {@code ATTEMPTS#USER#<sub>} / {@code SLOTS}
 * holds the user's slots {@code s0} … {@code s9}, each {@code <epoch millis>.<token>}, taken and
 * freed by conditional updates of that one attribute (two attempts never take the same slot, and
 * attempts on different slots do not collide); {@code ATTEMPTS#DIST#<id>} / {@code FAILURES} is the
 * distributor's log of failures, appended without a read. TTL removes idle items, and nothing
 * depends on it doing so. An item whose scope is locked carries a mark in {@code GSI1} ({@code LOCKOUTS} /
 * {@code <until>#USER#<sub>} or {@code <until>#DIST#<id>}), for the back office's list of locks.
 */
@Singleton
public class DynamoFailedAttempts implements FailedAttempts {
    private static final String SLOTS_SK = "SLOTS";
    private static final String LOG_SK = "FAILURES";
    /** The {@code GSI1} partition of lock marks. */
    static final String LOCKOUTS = "LOCKOUTS";
    /**
     * The distributor's log keeps this many failures: with each user's share capped at their limit
     * and no user able to hold more than twice their limit in one window, the newest
     * {@code 2 x DISTRIBUTOR_LIMIT} always show a lock that the whole log would.
     */
    static final int LOG_KEPT = 2 * AttemptGuard.DISTRIBUTOR_LIMIT;
    private static final int LOG_TRIMMED_AT = 3 * AttemptGuard.DISTRIBUTOR_LIMIT;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoFailedAttempts(DynamoDbClient dynamo, ServiceSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.tableName();
    }

    @Override
    public Snapshot read(UserId userSub, DistributorId distributorId) {
        Map<String, AttributeValue> user = key("USER#" + userSub.value(), SLOTS_SK);
        Map<String, AttributeValue> distributor = key("DIST#" + distributorId.value(), LOG_SK);
        // Strongly consistent: a slot read stale would only cost a retry, a log read stale a late lock.
        var response = dynamo.batchGetItem(r -> r.requestItems(Map.of(table,
                KeysAndAttributes.builder().keys(user, distributor).consistentRead(true).build())));
        Map<Integer, Slot> slots = new HashMap<>();
        List<Failure> failures = new ArrayList<>();
        for (var item : response.responses().getOrDefault(table, List.of())) {
            if (item.get(SK).s().equals(SLOTS_SK)) slots.putAll(slotsOf(item));
            else failures.addAll(failuresOf(item));
        }
        return new Snapshot(slots, failures);
    }

    @Override
    public boolean claim(UserId userSub, int index, Slot expected, Slot claimed) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":claimed", s(format(claimed)),
                ":ttl", AttributeValue.fromN(Long.toString(expiry(claimed.at())))));
        String condition = "attribute_not_exists(#slot)";
        if (expected != null) {
            condition = "#slot = :expected";
            values.put(":expected", s(format(expected)));
        }
        try {
            String given = condition;
            dynamo.updateItem(r -> r.tableName(table).key(key("USER#" + userSub.value(), SLOTS_SK))
                    .updateExpression("SET #slot = :claimed, #ttl = :ttl").conditionExpression(given)
                    .expressionAttributeNames(Map.of("#slot", slotName(index), "#ttl", "ttl"))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException takenMeanwhile) {
            return false;
        }
    }

    @Override
    public void free(UserId userSub, int index, Slot claimed) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key("USER#" + userSub.value(), SLOTS_SK))
                    .updateExpression("REMOVE #slot").conditionExpression("#slot = :claimed")
                    .expressionAttributeNames(Map.of("#slot", slotName(index)))
                    .expressionAttributeValues(Map.of(":claimed", s(format(claimed)))));
        } catch (ConditionalCheckFailedException notOursAnyMore) {
            // only the attempt that took a slot frees it; there is nothing else to do
        }
    }

    @Override
    public void recordDistributorFailure(DistributorId distributorId, UserId userSub, Instant at) {
        Map<String, AttributeValue> scope = key("DIST#" + distributorId.value(), LOG_SK);
        AttributeValue failure = AttributeValue.fromM(Map.of("at", AttributeValue.fromN(Long.toString(at.toEpochMilli())),
                "user", s(userSub.value())));
        var updated = dynamo.updateItem(r -> r.tableName(table).key(scope)
                .updateExpression("SET #at = list_append(if_not_exists(#at, :empty), :failure), #ttl = :ttl")
                .expressionAttributeNames(Map.of("#at", "at", "#ttl", "ttl"))
                .expressionAttributeValues(Map.of(":empty", AttributeValue.fromL(List.of()),
                        ":failure", AttributeValue.fromL(List.of(failure)),
                        ":ttl", AttributeValue.fromN(Long.toString(expiry(at)))))
                .returnValues(ReturnValue.UPDATED_NEW));
        int size = updated.attributes().get("at").l().size();
        if (size > LOG_TRIMMED_AT) {
            StringBuilder remove = new StringBuilder("REMOVE ");
            for (int i = 0; i < size - LOG_KEPT; i++) remove.append(i == 0 ? "" : ", ").append("#at[").append(i).append(']');
            try {
                dynamo.updateItem(r -> r.tableName(table).key(scope).updateExpression(remove.toString())
                        .conditionExpression("size(#at) = :size")
                        .expressionAttributeNames(Map.of("#at", "at"))
                        .expressionAttributeValues(Map.of(":size", AttributeValue.fromN(Integer.toString(size)))));
            } catch (ConditionalCheckFailedException appendedMeanwhile) {
                // another failure was appended first; the next one trims
            }
        }
    }

    @Override
    public void markUserLocked(UserId userSub, String username, DistributorId distributorId, Instant until) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":locks", s(LOCKOUTS),
                ":at", s(Timestamps.format(until) + "#USER#" + userSub.value()), ":d", s(distributorId.value())));
        String set = "SET #gpk = :locks, #gsk = :at, distributorId = :d";
        if (username != null) {
            set += ", username = :u";
            values.put(":u", s(username));
        }
        String update = set;
        dynamo.updateItem(r -> r.tableName(table).key(key("USER#" + userSub.value(), SLOTS_SK)).updateExpression(update)
                .expressionAttributeNames(Map.of("#gpk", GSI1PK, "#gsk", GSI1SK)).expressionAttributeValues(values));
    }

    @Override
    public void markDistributorLocked(DistributorId distributorId, Instant until) {
        dynamo.updateItem(r -> r.tableName(table).key(key("DIST#" + distributorId.value(), LOG_SK))
                .updateExpression("SET #gpk = :locks, #gsk = :at, distributorId = :d")
                .expressionAttributeNames(Map.of("#gpk", GSI1PK, "#gsk", GSI1SK))
                .expressionAttributeValues(Map.of(":locks", s(LOCKOUTS), ":at", s(Timestamps.format(until) + "#DIST#" + distributorId.value()),
                        ":d", s(distributorId.value()))));
    }

    /**
     * {@code GSI1} {@code LOCKOUTS}, sorted by when each lock lets go: a lock past is below {@code now},
     * so the query reads only marks of locks that may still hold (the caller judges each item's slots).
     */
    @Override
    public List<Marked> markedAfter(Instant now) {
        List<Marked> marked = new ArrayList<>();
        for (var item : Pages.items(dynamo, QueryRequest.builder().tableName(table).indexName(GSI1)
                .keyConditionExpression("#pk = :locks AND #sk > :now")
                .expressionAttributeNames(Map.of("#pk", GSI1PK, "#sk", GSI1SK))
                .expressionAttributeValues(Map.of(":locks", s(LOCKOUTS), ":now", s(Timestamps.format(now)))).build())) {
            DistributorId distributorId = new DistributorId(item.get("distributorId").s());
            if (item.get(SK).s().equals(SLOTS_SK)) {
                UserId sub = new UserId(item.get(PK).s().substring("ATTEMPTS#USER#".length()));
                marked.add(new Marked(DomainError.LockScope.USER, sub, KeyItems.str(item, "username"), distributorId, slotsOf(item), List.of()));
            } else {
                marked.add(new Marked(DomainError.LockScope.DISTRIBUTOR, null, null, distributorId, Map.of(), failuresOf(item)));
            }
        }
        return marked;
    }

    @Override
    public Map<Integer, Slot> userSlots(UserId userSub) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(key("USER#" + userSub.value(), SLOTS_SK))).item();
        return item == null ? Map.of() : slotsOf(item);
    }

    @Override
    public void freeAll(UserId userSub) {
        // The whole item: its slots and its lock mark go together.
        dynamo.deleteItem(r -> r.tableName(table).key(key("USER#" + userSub.value(), SLOTS_SK)));
    }

    private static Map<Integer, Slot> slotsOf(Map<String, AttributeValue> item) {
        Map<Integer, Slot> slots = new HashMap<>();
        for (int index = 0; index < AttemptGuard.USER_LIMIT; index++) {
            AttributeValue slot = item.get(slotName(index));
            if (slot != null && slot.s() != null) slots.put(index, parse(slot.s()));
        }
        return slots;
    }

    private static List<Failure> failuresOf(Map<String, AttributeValue> item) {
        List<Failure> failures = new ArrayList<>();
        for (AttributeValue entry : item.getOrDefault("at", AttributeValue.fromL(List.of())).l()) {
            if (!entry.hasM()) continue; // a number: the log's format before users were counted
            failures.add(new Failure(Instant.ofEpochMilli(Long.parseLong(entry.m().get("at").n())),
                    entry.m().containsKey("user") ? new UserId(entry.m().get("user").s()) : null));
        }
        failures.sort((a, b) -> a.at().compareTo(b.at()));
        return failures;
    }

    /** An hour after the window of the latest write: TTL may remove the item once nothing in it counts. */
    private static long expiry(Instant at) {
        return at.plus(AttemptGuard.WINDOW).getEpochSecond() + 3600;
    }

    private static String slotName(int index) {
        return "s" + index;
    }

    private static String format(Slot slot) {
        return slot.at().toEpochMilli() + "." + slot.token();
    }

    private static Slot parse(String value) {
        int dot = value.indexOf('.');
        return new Slot(Instant.ofEpochMilli(Long.parseLong(value.substring(0, dot))), value.substring(dot + 1));
    }

    private static Map<String, AttributeValue> key(String scope, String sk) {
        return Map.of(PK, s("ATTEMPTS#" + scope), SK, s(sk));
    }
}
