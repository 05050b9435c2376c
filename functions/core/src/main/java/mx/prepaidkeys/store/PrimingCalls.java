package mx.prepaidkeys.store;

import java.util.Map;
import java.util.Set;
import mx.prepaidkeys.config.AwsFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * One call of each DynamoDB operation a function may make, before its SnapStart snapshot: the SDK's
 * connection, signer and marshallers warm, and nothing written. Reads aim at an item no code
 * writes; writes carry a condition the absent item fails.
 */
public final class PrimingCalls {
    /** An item no code writes. */
    private static final Map<String, AttributeValue> ITEM = Map.of(KeyTable.PK, AttributeValue.fromS("PRIMING"),
            KeyTable.SK, AttributeValue.fromS("PRIMING"));

    private PrimingCalls() {}

    public static void make(DynamoDbClient dynamo, String table, AwsFunction declared) {
        Set<String> allowed = Set.of(declared.awsActions());
        Map<String, String> names = Map.of("#pk", KeyTable.PK);
        if (allowed.contains("dynamodb:GetItem")) dynamo.getItem(r -> r.tableName(table).key(ITEM));
        if (allowed.contains("dynamodb:BatchGetItem")) {
            dynamo.batchGetItem(r -> r.requestItems(Map.of(table, KeysAndAttributes.builder().keys(ITEM).build())));
        }
        if (allowed.contains("dynamodb:Query")) {
            dynamo.query(r -> r.tableName(table).keyConditionExpression("#pk = :pk").expressionAttributeNames(names)
                    .expressionAttributeValues(Map.of(":pk", ITEM.get(KeyTable.PK))).limit(1));
        }
        refused(() -> {
            if (allowed.contains("dynamodb:UpdateItem")) {
                dynamo.updateItem(r -> r.tableName(table).key(writeItem(declared)).updateExpression("SET primed = :t")
                        .conditionExpression("attribute_exists(#pk)")
                        .expressionAttributeNames(names).expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));
            }
        });
        refused(() -> {
            if (allowed.contains("dynamodb:PutItem")) {
                dynamo.transactWriteItems(r -> r.transactItems(TransactWriteItem.builder()
                        .put(p -> p.tableName(table).item(writeItem(declared)).conditionExpression("attribute_exists(#pk)")
                                .expressionAttributeNames(names))
                        .build()));
            }
        });
    }

    /**
     * The item a function's priming writes aim at: in a partition its policy lets it write
     * ({@code dynamodb:LeadingKeys}; IAM refuses a write elsewhere before its condition is even
     * read), and never written by anyone.
     */
    static Map<String, AttributeValue> writeItem(AwsFunction declared) {
        if (declared.writesPartitions().length == 0) return ITEM;
        return Map.of(KeyTable.PK, AttributeValue.fromS(declared.writesPartitions()[0].replace("*", "PRIMING")),
                KeyTable.SK, AttributeValue.fromS("PRIMING"));
    }

    private static void refused(Runnable write) {
        try {
            write.run();
        } catch (ConditionalCheckFailedException | TransactionCanceledException expected) {
            // the condition failed, as intended: nothing was written
        }
    }
}
