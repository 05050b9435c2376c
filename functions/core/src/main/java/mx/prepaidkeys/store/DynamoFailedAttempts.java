package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyItems.s;
import static mx.prepaidkeys.store.KeyTable.PK;
import static mx.prepaidkeys.store.KeyTable.SK;

import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.activation.AttemptGuard;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.domain.FailedAttempts;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Failed attempts as a sliding log per scope: {@code ATTEMPTS#USER#<sub>} and
 * {@code ATTEMPTS#DIST#<id>}, each one item with the times of its recent failures. Appending is one
 * update (no read, no race); the log is trimmed to what a lockout can need when it is read; TTL
 * removes idle logs, and nothing depends on it doing so.
 */
@Singleton
public class DynamoFailedAttempts implements FailedAttempts {
    private static final String LOG_SK = "FAILURES";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoFailedAttempts(DynamoDbClient dynamo, ServiceSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.tableName();
    }

    @Override
    public Recent recent(String userSub, String distributorId) {
        Map<String, AttributeValue> user = key("USER#" + userSub);
        Map<String, AttributeValue> distributor = key("DIST#" + distributorId);
        var response = dynamo.batchGetItem(r -> r.requestItems(Map.of(table,
                KeysAndAttributes.builder().keys(user, distributor).consistentRead(true).build())));
        List<Instant> userLog = List.of();
        List<Instant> distributorLog = List.of();
        for (var item : response.responses().getOrDefault(table, List.of())) {
            List<Instant> times = new ArrayList<>();
            for (AttributeValue value : item.getOrDefault("at", AttributeValue.fromL(List.of())).l()) {
                times.add(Instant.ofEpochMilli(Long.parseLong(value.n())));
            }
            times.sort(null);
            if (item.get(PK).s().equals(user.get(PK).s())) userLog = times;
            else distributorLog = times;
        }
        return new Recent(userLog, distributorLog);
    }

    @Override
    public void record(String userSub, String distributorId, Instant at) {
        append("USER#" + userSub, at, AttemptGuard.USER_LIMIT);
        append("DIST#" + distributorId, at, AttemptGuard.DISTRIBUTOR_LIMIT);
    }

    private void append(String scope, Instant at, int limit) {
        var updated = dynamo.updateItem(r -> r.tableName(table).key(key(scope))
                .updateExpression("SET #at = list_append(if_not_exists(#at, :empty), :now), #ttl = :ttl")
                .expressionAttributeNames(Map.of("#at", "at", "#ttl", "ttl"))
                .expressionAttributeValues(Map.of(":empty", AttributeValue.fromL(List.of()),
                        ":now", AttributeValue.fromL(List.of(AttributeValue.fromN(Long.toString(at.toEpochMilli())))),
                        ":ttl", AttributeValue.fromN(Long.toString(at.plus(AttemptGuard.WINDOW).getEpochSecond() + 3600))))
                .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.UPDATED_NEW));
        // Keep the log short: a lockout needs the last `limit` times, no more.
        int size = updated.attributes().get("at").l().size();
        if (size > 2 * limit) {
            StringBuilder remove = new StringBuilder("REMOVE ");
            for (int i = 0; i < size - limit; i++) remove.append(i == 0 ? "" : ", ").append("#at[").append(i).append(']');
            try {
                dynamo.updateItem(r -> r.tableName(table).key(key(scope)).updateExpression(remove.toString())
                        .conditionExpression("size(#at) = :size")
                        .expressionAttributeNames(Map.of("#at", "at"))
                        .expressionAttributeValues(Map.of(":size", AttributeValue.fromN(Integer.toString(size)))));
            } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException appendedMeanwhile) {
                // another failure was appended first; the next one trims
            }
        }
    }

    private static Map<String, AttributeValue> key(String scope) {
        return Map.of(PK, s("ATTEMPTS#" + scope), SK, s(LOG_SK));
    }
}
