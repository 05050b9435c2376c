package mx.prepaidkeys.activation;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.PrepaidKey;

/** "Claves prepago": the keys of the caller's distributor, newest activation first, a page at a time. */
@Singleton
public class KeyListing {
    /** What a distributor can hold: ISSUED keys belong to nobody yet. */
    public static final Set<KeyStatus> VISIBLE =
            EnumSet.of(KeyStatus.AVAILABLE, KeyStatus.USED, KeyStatus.EXPIRED, KeyStatus.VOID);
    public static final int DEFAULT_LIMIT = 25;
    public static final int MAX_LIMIT = 100;

    private final KeyRepository keys;
    private final PageCursor cursors;
    private final Clock clock;

    public KeyListing(KeyRepository keys, PageCursor cursors, Clock clock) {
        this.keys = keys;
        this.cursors = cursors;
        this.clock = clock;
    }

    public Page list(DistributorUser user, Query query) {
        String filter = query.fingerprint();
        String after = query.cursor() == null ? null : cursors.decode(query.cursor(), user.distributorId(), filter);
        KeyRepository.KeyPage page = keys.findByDistributor(user.distributorId(), query.statuses(), query.limit(), after,
                clock.instant());
        String next = page.nextPosition() == null ? null : cursors.encode(page.nextPosition(), user.distributorId(), filter);
        return new Page(page.items(), next, clock.instant());
    }

    /** @param statuses a non-empty subset of {@link #VISIBLE} */
    public record Query(Set<KeyStatus> statuses, int limit, String cursor) {
        public Query {
            if (statuses.isEmpty() || !VISIBLE.containsAll(statuses)) throw new IllegalArgumentException("statuses " + statuses);
            if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit " + limit);
            statuses = Set.copyOf(statuses);
        }

        /** The filter a cursor is bound to: everything but the page size and the cursor itself. */
        String fingerprint() {
            return "status=" + statuses.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
        }
    }

    /** @param at the instant statuses were computed for (EXPIRED depends on it) */
    public record Page(List<PrepaidKey> items, String nextCursor, java.time.Instant at) {}
}
