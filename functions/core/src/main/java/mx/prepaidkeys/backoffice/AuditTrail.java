package mx.prepaidkeys.backoffice;

import jakarta.inject.Singleton;
import java.time.Clock;
import mx.prepaidkeys.domain.AuditEntry;
import mx.prepaidkeys.domain.AuditLog;
import mx.prepaidkeys.domain.BackOfficeUser;

/**
 * Who in the back office did what, and when: every write of theirs appends an entry (the edge's
 * {@code @Audited}). Recording needs no secret, so every writing function can; reading the log
 * with cursors is {@link AuditListing}.
 */
@Singleton
public class AuditTrail {
    private final AuditLog log;
    private final Clock clock;

    public AuditTrail(AuditLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    public void record(BackOfficeUser admin, String action, String target, String requestId) {
        log.append(new AuditEntry(clock.instant(), admin.sub(), admin.username(), action, target, requestId));
    }
}
