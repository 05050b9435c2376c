package mx.prepaidkeys.activation;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.domain.KeyFilter;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.KeySort;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.StatusCounts;
import mx.prepaidkeys.domain.Timestamps;

/**
 * "Claves prepago": the keys of the caller's distributor, filtered, ordered, a page at a time, with
 * counts by status, or all of them for an export.
 */
@Singleton
public class KeyListing {
    /** What a distributor can hold: ISSUED keys belong to nobody yet. */
    public static final Set<KeyStatus> VISIBLE =
            EnumSet.of(KeyStatus.AVAILABLE, KeyStatus.USED, KeyStatus.EXPIRED, KeyStatus.VOID);
    public static final int DEFAULT_LIMIT = 25;
    public static final int MAX_LIMIT = 100;
    /** Rows of one export; within Lambda's 6 MB answer when compressed (docs/data-model.md). */
    public static final int MAX_EXPORT_ROWS = 100_000;

    private final KeyRepository keys;
    private final PageCursor cursors;
    private final Clock clock;

    public KeyListing(KeyRepository keys, PageCursor cursors, Clock clock) {
        this.keys = keys;
        this.cursors = cursors;
        this.clock = clock;
    }

    public Page list(DistributorUser user, Query query) {
        Instant now = clock.instant();
        String fingerprint = query.fingerprint();
        String after = query.cursor() == null ? null : cursors.decode(query.cursor(), user.distributorId(), fingerprint, now);
        KeyRepository.KeyPage page = keys.findByDistributor(user.distributorId(), query.filter(), query.sort(), query.limit(), after, now);
        // Counts describe the filter, not the page: they come with the first page only.
        StatusCounts counts = after == null ? keys.countByStatus(user.distributorId(), query.filter(), now) : null;
        String next = page.nextPosition() == null ? null : cursors.encode(page.nextPosition(), user.distributorId(), fingerprint, now);
        return new Page(page.items(), next, counts, now);
    }

    /** Every matching key, in the list's order, up to {@link #MAX_EXPORT_ROWS}; returns how many. */
    public int export(DistributorUser user, Query query, Consumer<PrepaidKey> row) {
        return keys.forEachByDistributor(user.distributorId(), query.filter(), query.sort(), clock.instant(), MAX_EXPORT_ROWS, row);
    }

    public Instant now() {
        return clock.instant();
    }

    /** @param cursor null for the first page */
    public record Query(KeyFilter filter, KeySort sort, int limit, String cursor) {
        public Query {
            if (filter.statuses().isEmpty() || !VISIBLE.containsAll(filter.statuses())) {
                throw new IllegalArgumentException("statuses " + filter.statuses());
            }
            if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit " + limit);
        }

        /** What a cursor is bound to: the filter and the order, not the page size. */
        public String fingerprint() {
            return String.join("\n",
                    filter.statuses().stream().map(Enum::name).sorted().collect(Collectors.joining(",")),
                    String.valueOf(filter.productSku()), String.valueOf(filter.clientRfc()), String.valueOf(filter.clientNamePrefix()),
                    String.valueOf(filter.keySuffix()),
                    filter.activatedFrom() == null ? "" : Timestamps.format(filter.activatedFrom()),
                    filter.activatedBefore() == null ? "" : Timestamps.format(filter.activatedBefore()),
                    sort.field() + (sort.descending() ? " desc" : " asc"));
        }
    }

    /**
     * @param counts counts by status for the same filter, statuses aside; null after the first page
     * @param at     the instant statuses were computed for (EXPIRED depends on it)
     */
    public record Page(List<PrepaidKey> items, String nextCursor, StatusCounts counts, Instant at) {}
}
