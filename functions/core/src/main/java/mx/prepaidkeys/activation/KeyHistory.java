package mx.prepaidkeys.activation;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.KeyRepository.KeyWithHistory;

/** One key with its history: for its distributor's users, and for the back office. */
@Singleton
public class KeyHistory {
    private final KeyRepository keys;
    private final Clock clock;

    public KeyHistory(KeyRepository keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** Another distributor's key, like an unknown one, is 404. */
    public KeyWithHistory forDistributor(DistributorUser user, KeyId keyId) {
        KeyWithHistory found = forBackOffice(keyId);
        found.key().ensureVisibleTo(user.distributorId());
        return found;
    }

    public KeyWithHistory forBackOffice(KeyId keyId) {
        return keys.findKeyWithHistory(keyId).orElseThrow(() -> new DomainException(new DomainError.NotFound()));
    }

    public Instant now() {
        return clock.instant();
    }
}
