package mx.prepaidkeys.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import mx.prepaidkeys.domain.Activation;
import mx.prepaidkeys.domain.Assignment;
import mx.prepaidkeys.domain.Client;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.domain.TestKeyIds;
import mx.prepaidkeys.domain.UserId;
import mx.prepaidkeys.store.KeyTable.Index;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A distributor's index keys ({@code DIST#<id>#...}) are made from a {@link DistributorId} and nothing else. */
class KeyItemsTest {
    private static final Instant NOW = Instant.parse("2026-11-25T18:00:00Z");
    private static final Product PRODUCT = new Product("SAE-12", "Aspel SAE", "ERP", 12, new License("2026.1", "Licencia", "https://x/l", "Texto"));
    private static final DistributorId NORTE = new DistributorId("dist-norte");
    private static final UserId ANA = new UserId("0b7c2d4e-8f10-4a2b-9c3d-5e6f7a8b9c0d");

    private final PrepaidKey used = PrepaidKey.issued(TestKeyIds.keyId(1), "*****-*****-*****-*****-7K3QZ", PRODUCT, "b1", null)
            .activate(new Activation(NORTE, NOW, ANA, "ana", "Ana", "2026.1", "10.0.0.1", "test"), NOW)
            .assign(NORTE, new Assignment(new Client("XAXX010101000", "Público en general"), NOW, ANA, "ana", false), NOW);

    @Test
    void every_distributor_partition_is_built_from_a_distributor_id() {
        int builders = 0;
        for (Method method : KeyItems.class.getDeclaredMethods()) {
            if (!method.getName().endsWith("Partition")) continue;
            builders++;
            assertEquals(DistributorId.class, method.getParameterTypes()[0], method.getName());
        }
        assertEquals(5, builders, "status, product, RFC, name and suffix partitions");
    }

    @Test
    void a_held_keys_index_entries_are_all_under_its_distributor() {
        Map<String, AttributeValue> entries = KeyItems.indexEntries(used);
        assertEquals("DIST#dist-norte#USED", entries.get(Index.GSI1.pk()).s());
        for (Index index : Index.values()) {
            if (index == Index.GSI2) continue; // a batch's keys, not a distributor's
            assertTrue(entries.get(index.pk()).s().startsWith("DIST#dist-norte#"), index.name() + ": " + entries.get(index.pk()).s());
        }
    }

    @Test
    void an_item_reads_back_as_the_key_and_a_stored_id_that_could_forge_a_key_does_not_read() {
        Map<String, AttributeValue> item = KeyItems.item(used);
        assertEquals(used, KeyItems.toKey(item));
        Map<String, AttributeValue> forged = new HashMap<>(item);
        forged.put("distributorId", AttributeValue.fromS("dist-norte#USED"));
        assertThrows(IllegalArgumentException.class, () -> KeyItems.toKey(forged));
        assertFalse(KeyItems.indexEntries(PrepaidKey.issued(TestKeyIds.keyId(2), "*****-*****-*****-*****-7K3QZ", PRODUCT, "b1", null))
                .containsKey(Index.GSI1.pk()), "an ISSUED key is nobody's: in no distributor's partition");
    }
}
