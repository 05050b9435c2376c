package mx.prepaidkeys.activation;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import mx.prepaidkeys.domain.Assignment;
import mx.prepaidkeys.domain.Client;
import mx.prepaidkeys.domain.ClientRfc;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.domain.Distributors;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.KeyEvent;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.KeyRepository.KeyChangedConcurrently;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.log.Metric;
import mx.prepaidkeys.log.Metrics;

/** "Asignar a cliente": an available key of the caller's distributor becomes "Utilizada" by a client. */
@Singleton
public class KeyAssignment {
    private final KeyRepository keys;
    private final Distributors distributors;
    private final Clock clock;

    public KeyAssignment(KeyRepository keys, Distributors distributors, Clock clock) {
        this.keys = keys;
        this.distributors = distributors;
        this.clock = clock;
    }

    /**
     * @param confirmRfc the user confirmed an RFC whose check digit does not match (recorded in the history)
     */
    public PrepaidKey assign(DistributorUser user, KeyId keyId, String rfc, String clientName, boolean confirmRfc, String sourceIp) {
        ClientRfc validRfc = ClientRfc.parse(rfc, confirmRfc);
        distributors.ensureActive(user.distributorId());
        PrepaidKey key = keys.findKey(keyId).orElseThrow(() -> new DomainException(new DomainError.NotFound()));
        Instant now = Timestamps.stored(clock.instant());
        Assignment assignment = new Assignment(Client.of(validRfc, clientName), now, user.sub(), user.actorName(),
                validRfc.checkDigitOverridden());
        PrepaidKey assigned = key.assign(user.distributorId(), assignment, now);
        try {
            keys.saveAssignment(assigned, key, KeyEvent.assigned(keyId, user.distributorId(), assignment, sourceIp), now);
        } catch (KeyChangedConcurrently lostRace) {
            // Assigned (or voided) meanwhile: answer what the key is now.
            keys.findKey(keyId).orElseThrow().assign(user.distributorId(), assignment, clock.instant());
            throw new IllegalStateException("key " + keyId.value() + " changed but reads assignable");
        }
        Metrics.count(Metric.ASSIGNMENTS);
        return assigned;
    }
}
