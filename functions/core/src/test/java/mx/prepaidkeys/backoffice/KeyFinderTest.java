package mx.prepaidkeys.backoffice;

import static mx.prepaidkeys.domain.TestKeyIds.keyId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mx.prepaidkeys.activation.PageCursor;
import mx.prepaidkeys.domain.Activation;
import mx.prepaidkeys.domain.Assignment;
import mx.prepaidkeys.domain.Client;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.InMemoryKeyRepository;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.KeySearch;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.domain.SecretKeys;
import mx.prepaidkeys.domain.UserId;
import org.junit.jupiter.api.Test;

/**
 * The back office finds any key from what a distributor reads out (the last five symbols), a batch
 * or a distributor, narrowed by the rest; pages on with cursors of its own, which nobody else's
 * cursors can stand in for.
 */
class KeyFinderTest {
    private static final Instant NOW = Instant.parse("2026-11-25T19:00:00Z");
    private static final Product SAE = new Product("SAE-12M", "Aspel SAE 9.0", "ERP", 12,
            new License("2026.1", "Licencia de uso", "https://vendor.example/l/sae", "El texto de la licencia de uso."));
    private static final Product COI = new Product("COI-12M", "Aspel COI 10.0", "Contabilidad", 12,
            new License("2026.1", "Licencia de uso", "https://vendor.example/l/coi", "El texto de la licencia de uso."));
    private final InMemoryKeyRepository keys = new InMemoryKeyRepository();
    private final PageCursor cursors = new PageCursor(new SecretKeys(Map.of(1,
            "the-first-secret-of-the-service-0123456789".getBytes(StandardCharsets.UTF_8)), 1));
    private final KeyFinder finder = new KeyFinder(keys, cursors, Clock.fixed(NOW, ZoneOffset.UTC));

    private PrepaidKey key(int id, String suffix, Product product, String batch, Instant expiresAt) {
        PrepaidKey key = PrepaidKey.issued(keyId(id), "*****-*****-*****-*****-" + suffix, product, batch, expiresAt);
        keys.put(key);
        return key;
    }

    private PrepaidKey held(PrepaidKey key, String distributor) {
        PrepaidKey held = key.activate(new Activation(new DistributorId(distributor), NOW.minus(Duration.ofDays(3)), new UserId("sub-1"), "ana", null, "2026.1", null, null),
                NOW.minus(Duration.ofDays(3)));
        keys.put(held);
        return held;
    }

    private static KeySearch search(String suffix, String batch, String distributor, String rfc, Set<KeyStatus> statuses, String product) {
        return new KeySearch(suffix, batch, distributor == null ? null : new DistributorId(distributor), rfc, statuses, product);
    }

    private List<KeyId> ids(KeySearch search) {
        return finder.find(new KeyFinder.Query(search, 100, null)).items().stream().map(PrepaidKey::keyId).toList();
    }

    @Test
    void the_last_five_symbols_find_a_key_whoever_holds_it_and_whatever_its_status() {
        key(1, "7Q2MA", SAE, "b1", null);
        held(key(2, "7Q2MA", COI, "b2", null), "dist-norte");
        key(3, "7Q2MB", SAE, "b1", null);
        assertEquals(List.of(keyId(1), keyId(2)), ids(search("7Q2MA", null, null, null, KeySearch.ALL, null)));
        assertEquals(List.of(keyId(2)), ids(search("7Q2MA", null, null, null, EnumSet.of(KeyStatus.AVAILABLE), null)));
        assertEquals(List.of(keyId(1)), ids(search("7Q2MA", null, null, null, KeySearch.ALL, "SAE-12M")));
        assertEquals(List.of(keyId(2)), ids(search("7Q2MA", null, "dist-norte", null, KeySearch.ALL, null)));
    }

    @Test
    void a_batch_is_narrowed_by_status_distributor_and_client_and_expired_keys_read_as_expired() {
        Instant past = NOW.minus(Duration.ofDays(1));
        key(11, "AAAAA", SAE, "old", past);
        held(key(12, "BBBBB", SAE, "old", past), "dist-sur");
        PrepaidKey used = held(key(13, "CCCCC", SAE, "old", past), "dist-norte");
        keys.put(used.assign(new DistributorId("dist-norte"), new Assignment(new Client("GODE561231GR8", "Eduardo Gómez"), NOW.minus(Duration.ofDays(2)),
                new UserId("sub-1"), "ana", false), NOW.minus(Duration.ofDays(2))));
        assertEquals(List.of(keyId(11), keyId(12)), ids(search(null, "old", null, null, EnumSet.of(KeyStatus.EXPIRED), null)));
        assertEquals(List.of(), ids(search(null, "old", null, null, EnumSet.of(KeyStatus.ISSUED, KeyStatus.AVAILABLE), null)));
        assertEquals(List.of(keyId(13)), ids(search(null, "old", null, "GODE561231GR8", KeySearch.ALL, null)));
        assertEquals(List.of(keyId(12)), ids(search(null, "old", "dist-sur", null, KeySearch.ALL, null)));
    }

    @Test
    void a_search_needs_a_lead_and_a_suffix_is_five_symbols() {
        assertThrows(IllegalArgumentException.class, () -> search(null, null, null, "GODE561231GR8", KeySearch.ALL, "SAE-12M"));
        assertThrows(IllegalArgumentException.class, () -> search("7Q2M", null, null, null, KeySearch.ALL, null));
        assertEquals(KeySearch.Lead.SUFFIX, search("7Q2MA", "b1", "dist-norte", null, KeySearch.ALL, null).lead());
        assertEquals(KeySearch.Lead.BATCH, search(null, "b1", "dist-norte", null, KeySearch.ALL, null).lead());
        assertEquals(KeySearch.Lead.DISTRIBUTOR, search(null, null, "dist-norte", null, KeySearch.ALL, null).lead());
    }

    @Test
    void pages_follow_the_cursor_to_the_end_and_the_cursor_is_bound_to_the_search() {
        for (int i = 0; i < 7; i++) key(20 + i, "ZZZZ" + i, SAE, "big", null);
        KeySearch all = search(null, "big", null, null, KeySearch.ALL, null);
        List<KeyId> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = finder.find(new KeyFinder.Query(all, 3, cursor));
            page.items().forEach(k -> seen.add(k.keyId()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertEquals(List.of(keyId(20), keyId(21), keyId(22), keyId(23), keyId(24), keyId(25), keyId(26)), seen);
        assertEquals(3, pages);

        String next = finder.find(new KeyFinder.Query(all, 3, null)).nextCursor();
        KeySearch other = search(null, "big", null, null, EnumSet.of(KeyStatus.ISSUED), null);
        assertInvalid(() -> finder.find(new KeyFinder.Query(other, 3, next)));
        String edited = next.substring(0, 12) + (next.charAt(12) == 'A' ? 'B' : 'A') + next.substring(13);
        assertInvalid(() -> finder.find(new KeyFinder.Query(all, 3, edited)));
        String distributors = cursors.encode(keyId(22).value(), new DistributorId("dist-norte"), "admin-keys\n" + all.fingerprint(), NOW);
        assertInvalid(() -> finder.find(new KeyFinder.Query(all, 3, distributors)));
        assertNull(finder.find(new KeyFinder.Query(all, 7, null)).nextCursor());
    }

    @Test
    void a_back_office_cursor_is_no_cursor_of_a_distributor_or_of_the_batch_list() {
        String ours = cursors.encodeForBackOffice(keyId(22).value(), "admin-keys\n", NOW);
        var refused = assertThrows(DomainException.class, () -> cursors.decode(ours, new DistributorId("dist-norte"), "admin-keys\n", NOW));
        assertInstanceOf(DomainError.NotFound.class, refused.error(), "a distributor's list treats it as another owner's");
        assertInvalid(() -> cursors.decodeForBackOffice(ours, "admin-batches\nnull", NOW));
    }

    private static void assertInvalid(org.junit.jupiter.api.function.Executable call) {
        var refused = assertThrows(DomainException.class, call);
        assertInstanceOf(DomainError.CursorInvalid.class, refused.error());
    }
}
