package mx.prepaidkeys.clients;

import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import mx.prepaidkeys.activation.PageCursor;
import mx.prepaidkeys.domain.ClientDirectory;
import mx.prepaidkeys.domain.ClientDirectory.ClientChangedConcurrently;
import mx.prepaidkeys.domain.ClientDirectory.ClientPage;
import mx.prepaidkeys.domain.ClientRfc;
import mx.prepaidkeys.domain.DirectoryClient;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.KeyFilter;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.KeySort;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.Product;

/**
 * "Clientes": the caller's distributor's clients, listed, searched by any word of the name, read and
 * edited. Another distributor's client does not exist for the caller (404).
 */
@Singleton
public class ClientBook {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;
    /** Edits that meet others are made again on what those stored, this often. */
    private static final int EDIT_ATTEMPTS = 3;

    private final ClientDirectory directory;
    private final KeyRepository keys;
    /** Only the lists sign cursors: reading or editing one client needs no secret (nor the right to read it). */
    private final Provider<PageCursor> cursors;
    private final Clock clock;

    public ClientBook(ClientDirectory directory, KeyRepository keys, Provider<PageCursor> cursors, Clock clock) {
        this.directory = directory;
        this.keys = keys;
        this.cursors = cursors;
        this.clock = clock;
    }

    /**
     * A page of clients: every one by RFC, or those whose name has a word starting with each prefix.
     *
     * @param prefixes empty for every client
     * @param cursor   null for the first page
     */
    public Page list(DistributorUser user, List<String> prefixes, int limit, String cursor) {
        Instant now = clock.instant();
        // The cursor is bound to the search: a position in one word's index means nothing in another's.
        String fingerprint = "clients\n" + String.join(" ", prefixes);
        String after = cursor == null ? null : cursors.get().decode(cursor, user.distributorId(), fingerprint, now);
        ClientPage page = prefixes.isEmpty() ? directory.list(user.distributorId(), limit, after)
                : directory.search(user.distributorId(), prefixes, limit, after);
        String next = page.nextPosition() == null ? null : cursors.get().encode(page.nextPosition(), user.distributorId(), fingerprint, now);
        return new Page(page.clients(), next);
    }

    public DirectoryClient get(DistributorUser user, String rfc) {
        return directory.find(user.distributorId(), canonical(rfc)).orElseThrow(ClientBook::notFound);
    }

    /**
     * A page of the keys the client holds, newest activation first (the index of keys by client RFC),
     * each with the last day of its service (its product's term from its activation).
     *
     * @param cursor null for the first page
     */
    public KeyPage keys(DistributorUser user, String rfc, int limit, String cursor) {
        Instant now = clock.instant();
        String fingerprint = "client-keys\n" + canonical(rfc);
        // The cursor is judged first: a forged one is CURSOR_INVALID whatever the client.
        String after = cursor == null ? null : cursors.get().decode(cursor, user.distributorId(), fingerprint, now);
        DirectoryClient client = get(user, rfc);
        KeyFilter filter = new KeyFilter(Set.of(KeyStatus.USED), null, client.rfc(), null, null, null, null);
        KeyRepository.KeyPage page = keys.findByDistributor(user.distributorId(), filter, KeySort.NEWEST_FIRST, limit, after, now);
        Map<String, Optional<Product>> products = new HashMap<>();
        List<HeldKey> held = page.items().stream().map(key -> new HeldKey(key,
                products.computeIfAbsent(key.productSku(), keys::findProduct)
                        .map(product -> product.validUntil(key.activation().activatedAt())).orElse(null))).toList();
        String next = page.nextPosition() == null ? null : cursors.get().encode(page.nextPosition(), user.distributorId(), fingerprint, now);
        return new KeyPage(held, next, now);
    }

    /** @param validUntil the last day of service; null when the product is no longer in the catalogue */
    public record HeldKey(PrepaidKey key, LocalDate validUntil) {}

    /** @param at the instant statuses are computed for */
    public record KeyPage(List<HeldKey> keys, String nextCursor, Instant at) {}

    /**
     * Edits a client's name, email and notes (each already checked). An edit that meets another is
     * made again on what that one stored: the last one wins, and the word index follows it.
     */
    public DirectoryClient update(DistributorUser user, String rfc, String name, String email, String notes) {
        for (int attempt = 1; ; attempt++) {
            DirectoryClient before = get(user, rfc);
            DirectoryClient after = before.edited(name, email, notes);
            try {
                directory.update(before, after);
                return after;
            } catch (ClientChangedConcurrently meanwhile) {
                if (attempt == EDIT_ATTEMPTS) throw meanwhile;
            }
        }
    }

    /**
     * An RFC as the directory keys it (a wrong check digit is no reason to refuse a read: such RFCs are
     * stored). A path that is no RFC names no client: 404, as every path id that is not an id.
     */
    public static String canonical(String rfc) {
        try {
            return ClientRfc.parse(rfc, true).value();
        } catch (DomainException notAnRfc) {
            throw notFound();
        }
    }

    private static DomainException notFound() {
        return new DomainException(new DomainError.NotFound());
    }

    /** @param nextCursor null on the last page */
    public record Page(List<DirectoryClient> clients, String nextCursor) {}
}
