package mx.prepaidkeys.backoffice;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import mx.prepaidkeys.activation.PageCursor;
import mx.prepaidkeys.domain.BackOfficeUser;
import mx.prepaidkeys.domain.Distributor;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.Distributors;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.Timestamps;

/**
 * The back office's distributor accounts: who each company is, and whether its users may work.
 * Suspending or reactivating one is saving it with the other status; nothing else changes, so a
 * reactivated account finds everything as it was.
 */
@Singleton
public class DistributorAccounts {
    public static final int DEFAULT_LIMIT = 25;
    public static final int MAX_LIMIT = 100;
    private static final String LIST = "admin-distributors\n";

    private final Distributors distributors;
    private final PageCursor cursors;
    private final Clock clock;

    public DistributorAccounts(Distributors distributors, PageCursor cursors, Clock clock) {
        this.distributors = distributors;
        this.cursors = cursors;
        this.clock = clock;
    }

    /** What an admin writes of an account; who and when are added here. */
    public record Changes(String name, String rfc, String contactEmail, Distributor.Status status) {}

    public record Saved(Distributor distributor, boolean created) {}

    public Saved save(BackOfficeUser admin, DistributorId id, Changes changes) {
        Distributor distributor = new Distributor(id, changes.name(), changes.rfc(), changes.contactEmail(), changes.status(),
                Timestamps.stored(clock.instant()), admin.sub(), admin.username());
        return new Saved(distributor, distributors.save(distributor));
    }

    public Distributor find(DistributorId id) {
        return distributors.find(id).orElseThrow(() -> new DomainException(new DomainError.NotFound()));
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
