package mx.prepaidkeys.backoffice;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import mx.prepaidkeys.activation.PageCursor;
import mx.prepaidkeys.domain.AuditEntry;
import mx.prepaidkeys.domain.AuditLog;

/**
 * The audit log ({@link AuditTrail}) read newest first, a range of at most {@value #MAX_DAYS} days at a
 * time, narrowed by actor and action, with the back office's signed cursors.
 */
@Singleton
public class AuditListing {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;
    public static final int MAX_DAYS = 366;

    private final AuditLog log;
    private final PageCursor cursors;
    private final Clock clock;

    public AuditListing(AuditLog log, PageCursor cursors, Clock clock) {
        this.log = log;
        this.cursors = cursors;
        this.clock = clock;
    }

    /**
     * @param from inclusive; {@code to} exclusive, at most {@value #MAX_DAYS} days later (the edge names the field otherwise)
     */
    public Page list(Instant from, Instant to, String actor, String action, int limit, String cursor) {
        if (limit < 1 || limit > MAX_LIMIT || to.isBefore(from) || Duration.between(from, to).toDays() > MAX_DAYS) {
            throw new IllegalArgumentException("audit range " + from + " to " + to + ", limit " + limit);
        }
        Instant now = clock.instant();
        String filter = "admin-audit\n" + from + "\n" + to + "\n" + actor + "\n" + action;
        String after = cursor == null ? null : cursors.decodeForBackOffice(cursor, filter, now);
        AuditLog.Page page = log.page(from, to, actor, action, limit, after);
        String next = page.nextPosition() == null ? null : cursors.encodeForBackOffice(page.nextPosition(), filter, now);
        return new Page(page.entries(), next);
    }

    public record Page(List<AuditEntry> entries, String nextCursor) {}
}
