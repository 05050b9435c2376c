package mx.prepaidkeys.backoffice;

import static mx.prepaidkeys.domain.TestKeyIds.keyId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.activation.PageCursor;
import mx.prepaidkeys.domain.Activation;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.InMemoryKeyRepository;
import mx.prepaidkeys.domain.KeyBatch;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.domain.SecretKeys;
import mx.prepaidkeys.domain.UserId;
import org.junit.jupiter.api.Test;

/** The back office's batches: newest first, a product's alone, each counted by status as people see it. */
class BatchListingTest {
    private static final Instant NOW = Instant.parse("2026-11-25T19:00:00Z");
    private static final Product SAE = new Product("SAE-12M", "Aspel SAE 9.0", "ERP", 12,
            new License("2026.1", "Licencia de uso", "https://vendor.example/l/sae", "El texto de la licencia de uso."));
    private final InMemoryKeyRepository keys = new InMemoryKeyRepository();
    private final BatchListing listing = new BatchListing(keys, new PageCursor(new SecretKeys(Map.of(1,
            "the-first-secret-of-the-service-0123456789".getBytes(StandardCharsets.UTF_8)), 1)), Clock.fixed(NOW, ZoneOffset.UTC));

    private int minted;

    /** The batch's key ids. */
    private List<KeyId> batch(String id, String sku, int daysAgo, Instant expiresAt, int quantity) {
        keys.put(new KeyBatch(id, sku, sku, quantity, expiresAt, null, NOW.minus(Duration.ofDays(daysAgo)), new UserId("sub-admin"), "admin"));
        List<KeyId> ids = new ArrayList<>();
        for (int i = 0; i < quantity; i++) {
            ids.add(keyId(++minted));
            keys.put(PrepaidKey.issued(ids.getLast(), "*****-*****-*****-*****-0000" + i, SAE, id, expiresAt));
        }
        return ids;
    }

    @Test
    void newest_first_a_page_at_a_time_and_by_product() {
        batch("b1", "SAE-12M", 30, null, 1);
        batch("b2", "COI-12M", 20, null, 1);
        batch("b3", "SAE-12M", 10, null, 1);
        var first = listing.list(null, 2, null);
        assertEquals(List.of("b3", "b2"), first.batches().stream().map(b -> b.batch().batchId()).toList());
        var second = listing.list(null, 2, first.nextCursor());
        assertEquals(List.of("b1"), second.batches().stream().map(b -> b.batch().batchId()).toList());
        assertNull(second.nextCursor());
        assertEquals(List.of("b3", "b1"), listing.list("SAE-12M", 10, null).batches().stream().map(b -> b.batch().batchId()).toList());
    }

    @Test
    void counts_say_what_people_see_expired_once_the_batch_expired() {
        List<KeyId> live = batch("live", "SAE-12M", 5, null, 3);
        keys.put(keys.findKey(live.getFirst()).orElseThrow().activate(new Activation(new DistributorId("dist-norte"), NOW, new UserId("sub"), "ana", null, "2026.1", null, null), NOW));
        batch("gone", "SAE-12M", 400, NOW.minus(Duration.ofDays(1)), 2);
        var page = listing.list(null, 10, null);
        Map<KeyStatus, Integer> liveCounts = page.batches().get(0).counts();
        assertEquals(2, liveCounts.get(KeyStatus.ISSUED));
        assertEquals(1, liveCounts.get(KeyStatus.AVAILABLE));
        Map<KeyStatus, Integer> gone = page.batches().get(1).counts();
        assertEquals(2, gone.get(KeyStatus.EXPIRED));
        assertEquals(0, gone.get(KeyStatus.ISSUED));
    }
}
