package mx.prepaidkeys.domain;

import java.time.Instant;
import java.util.List;

/** The back office's audit log: appended to, never changed or removed. */
public interface AuditLog {

    void append(AuditEntry entry);

    /**
     * Entries at or after {@code from} and before {@code to}, newest first.
     *
     * @param actor  a username or a {@code sub}; null for everyone
     * @param action null for every action
     * @param after  the position a previous page ended at, null for the first
     */
    Page page(Instant from, Instant to, String actor, String action, int limit, String after);

    /** @param nextPosition where the next page starts, null on the last */
    record Page(List<AuditEntry> entries, String nextPosition) {}
}
