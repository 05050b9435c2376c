package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import mx.prepaidkeys.local.DevStack;
import mx.prepaidkeys.store.IndexBackfill;
import mx.prepaidkeys.store.KeyTable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Keys and batches written before the back office's indexes existed (in a deployed table: every one
 * of them) are in neither the search by key end nor the batch list, until `make backfill-indexes`
 * gives them their entries; a second run finds nothing left to do.
 */
class IndexBackfillTest {
    private final TestStack stack = TestStack.get();
    private final ApiClient admin = stack.newUser(null);

    @Test
    void keys_and_batches_from_before_the_indexes_are_found_once_backfilled() {
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"NOI-6M\",\"quantity\":3}",
                "idempotency-key", UUID.randomUUID().toString());
        assertEquals(201, minted.status(), minted.body());
        String batchId = minted.json().path("batchId").asText();
        List<String> keyIds = minted.json().path("keys").findValuesAsText("keyId");
        String key = minted.json().path("keys").get(0).path("key").asText();
        String end = key.substring(key.length() - 5);

        // As items written by the code before these indexes: no GSI8 entry on the keys, no batch-list entries on the batch.
        for (String keyId : keyIds) remove("KEY#" + keyId, "KEY", KeyTable.Index.GSI8);
        remove("BATCH#" + batchId, "BATCH", KeyTable.Index.GSI1, KeyTable.Index.GSI4);
        assertFalse(admin.get("/v1/admin/prepaid-keys?suffix=" + end).body().contains(keyIds.get(0)), "not found before");
        assertFalse(batchIds().contains(batchId), "not listed before");

        var first = IndexBackfill.run(stack.dynamo, DevStack.TABLE, 2);
        assertTrue(first.keys() >= 3 && first.batches() >= 1, first.toString());
        assertTrue(admin.get("/v1/admin/prepaid-keys?suffix=" + end).body().contains(keyIds.get(0)), "found after");
        assertTrue(batchIds().contains(batchId), "listed after");
        var found = admin.get("/v1/admin/prepaid-keys?batchId=" + batchId);
        assertEquals(3, found.json().path("items").size(), found.body());

        var second = IndexBackfill.run(stack.dynamo, DevStack.TABLE, 2);
        assertEquals(0, second.keys() + second.batches(), "nothing left to do: " + second);
        System.out.printf("index backfill: %,d items scanned, %,d keys and %,d batches given their entries (%,.1f read units); "
                + "a second run wrote nothing%n", first.scanned(), first.keys(), first.batches(), first.readUnits());
    }

    private void remove(String pk, String sk, KeyTable.Index... indexes) {
        List<String> attributes = new ArrayList<>();
        for (var index : indexes) {
            attributes.add(index.pk());
            attributes.add(index.sk());
        }
        stack.dynamo.updateItem(r -> r.tableName(DevStack.TABLE)
                .key(Map.of(KeyTable.PK, AttributeValue.fromS(pk), KeyTable.SK, AttributeValue.fromS(sk)))
                .updateExpression("REMOVE " + String.join(", ", attributes)));
    }

    private List<String> batchIds() {
        var listed = admin.get("/v1/admin/key-batches?product=NOI-6M&limit=25");
        assertEquals(200, listed.status(), listed.body());
        return listed.json().path("items").findValuesAsText("batchId");
    }
}
