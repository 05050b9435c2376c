package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyItems.s;
import static mx.prepaidkeys.store.KeyTable.PK;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Reads the whole table, for {@link TableInvariants} only. This is the one {@code Scan} in the
 * codebase, and it is an operator's tool, never a request path: the invariants are about every key,
 * and no index lists every key (an ISSUED key is in no distributor's index). It reads page by page
 * (1 MB each), strongly consistent, and writes nothing: its only calls are Scan and Query.
 *
 * <p>Cost: a strongly consistent Scan consumes one read unit per 4 KB of the table, about
 * 0.4 units per key with its history and email; a table of a million keys is some 400,000 read units.
 */
public final class TableScan {
    private final DynamoDbClient dynamo;
    private final String table;

    public TableScan(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public String table() {
        return table;
    }

    /** Every item of the table, in the order the Scan returns them; returns how many. */
    public long forEach(Consumer<Map<String, AttributeValue>> item) {
        long read = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamo.scan(r -> r.tableName(table).consistentRead(true).exclusiveStartKey(from));
            page.items().forEach(item);
            read += page.items().size();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return read;
    }

    /** Every item of one partition, strongly consistent: a second look at a key the Scan saw mid-transition. */
    public List<Map<String, AttributeValue>> partition(String pk) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(r -> r.tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", PK))
                    .expressionAttributeValues(Map.of(":pk", s(pk))).exclusiveStartKey(from));
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }
}
