package mx.prepaidkeys.backoffice;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import mx.prepaidkeys.activation.PageCursor;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.KeySearch;
import mx.prepaidkeys.domain.PrepaidKey;

/**
 * The back office finds any key: by the last five symbols a distributor reads out from a masked
 * key, by batch or by distributor, narrowed by status, product and client RFC; a page at a time,
 * with cursors signed for the back office and bound to the search.
 */
@Singleton
public class KeyFinder {
    public static final int DEFAULT_LIMIT = 25;
    public static final int MAX_LIMIT = 100;
    /** Binds a cursor to this list: a batch list's cursor is refused here. */
    private static final String LIST = "admin-keys\n";

    private final KeyRepository keys;
    private final PageCursor cursors;
    private final Clock clock;

    public KeyFinder(KeyRepository keys, PageCursor cursors, Clock clock) {
        this.keys = keys;
        this.cursors = cursors;
        this.clock = clock;
    }

    public Page find(Query query) {
        Instant now = clock.instant();
        String filter = LIST + query.search().fingerprint();
        String after = query.cursor() == null ? null : cursors.decodeForBackOffice(query.cursor(), filter, now);
        KeyRepository.KeyPage page = keys.findForBackOffice(query.search(), query.limit(), after, now);
        String next = page.nextPosition() == null ? null : cursors.encodeForBackOffice(page.nextPosition(), filter, now);
        return new Page(page.items(), next, now);
    }

    /** @param cursor null for the first page */
    public record Query(KeySearch search, int limit, String cursor) {
        public Query {
            if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit " + limit);
        }
    }

    /**
     * A page: short, even empty, when the filters kept few of the keys one request reads; follow
     * {@code nextCursor} while there is one.
     *
     * @param at the instant statuses were computed for (EXPIRED depends on it)
     */
    public record Page(List<PrepaidKey> items, String nextCursor, Instant at) {}
}
