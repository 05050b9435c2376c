package mx.prepaidkeys.backoffice;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import mx.prepaidkeys.activation.PageCursor;
import mx.prepaidkeys.domain.Distributor;
import mx.prepaidkeys.domain.Distributors;

/** The back office's list of distributor accounts, in id order, a page at a time with its own signed cursors. */
@Singleton
public class DistributorListing {
    public static final int DEFAULT_LIMIT = 25;
    public static final int MAX_LIMIT = 100;
    private static final String LIST = "admin-distributors\n";

    private final Distributors distributors;
    private final PageCursor cursors;
    private final Clock clock;

    public DistributorListing(Distributors distributors, PageCursor cursors, Clock clock) {
        this.distributors = distributors;
        this.cursors = cursors;
        this.clock = clock;
    }

    /** @param cursor null for the first page */
    public Page list(int limit, String cursor) {
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit " + limit);
        Instant now = clock.instant();
        String after = cursor == null ? null : cursors.decodeForBackOffice(cursor, LIST, now);
        Distributors.Page page = distributors.page(limit, after);
        String next = page.nextPosition() == null ? null : cursors.encodeForBackOffice(page.nextPosition(), LIST, now);
        return new Page(page.distributors(), next);
    }

    public record Page(List<Distributor> distributors, String nextCursor) {}
}
