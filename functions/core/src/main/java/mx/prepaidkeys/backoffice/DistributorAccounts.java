package mx.prepaidkeys.backoffice;

import jakarta.inject.Singleton;
import java.time.Clock;
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
 * reactivated account finds everything as it was. Neither reads nor writes need the service's secret
 * (the list's cursors do: {@link DistributorListing}).
 */
@Singleton
public class DistributorAccounts {
    private final Distributors distributors;
    private final Clock clock;

    public DistributorAccounts(Distributors distributors, Clock clock) {
        this.distributors = distributors;
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
}
