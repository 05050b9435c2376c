package mx.prepaidkeys.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.PrepaidKey;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/** Keys read by id, 100 to a BatchGetItem, unprocessed ones asked again with backoff; absent ids are left out. */
final class KeyReads {
    private KeyReads() {}

    /** @param consistent strongly consistent (a write decides on them), or eventually (a search shows them) */
    static List<PrepaidKey> read(DynamoDbClient dynamo, String table, List<KeyId> keyIds, boolean consistent) {
        List<PrepaidKey> keys = new ArrayList<>();
        for (int i = 0; i < keyIds.size(); i += 100) {
            List<Map<String, AttributeValue>> wanted = keyIds.subList(i, Math.min(keyIds.size(), i + 100)).stream()
                    .map(KeyItems::key).toList();
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(wanted).consistentRead(consistent).build());
            for (int attempt = 0; request != null && !request.isEmpty(); attempt++) {
                if (attempt > 0) Transactions.pause(Math.min(1000, 25L << attempt));
                Map<String, KeysAndAttributes> asking = request;
                var response = dynamo.batchGetItem(r -> r.requestItems(asking).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                List<Map<String, AttributeValue>> items = response.responses().getOrDefault(table, List.of());
                ReadMeter.add(response.hasConsumedCapacity() && !response.consumedCapacity().isEmpty()
                        ? response.consumedCapacity().getFirst() : null, items.size());
                items.forEach(item -> keys.add(KeyItems.toKey(item)));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : null;
            }
        }
        return keys;
    }
}
