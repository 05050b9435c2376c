package mx.prepaidkeys.activation;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import mx.prepaidkeys.domain.Assignment;
import mx.prepaidkeys.domain.Client;
import mx.prepaidkeys.domain.ClientDirectory;
import mx.prepaidkeys.domain.ClientRfc;
import mx.prepaidkeys.domain.DirectoryChange;
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

/**
 * "Asignar a cliente": an available key of the caller's distributor becomes "Utilizada" by a client,
 * and the client enters the distributor's directory (or counts one key more there).
 */
@Singleton
public class KeyAssignment {
    /** A lost race on the directory (two first keys of one new client at once) is tried again this often. */
    static final int ATTEMPTS = 3;

    private final KeyRepository keys;
    private final Distributors distributors;
    private final ClientDirectory clients;
    private final Clock clock;

    public KeyAssignment(KeyRepository keys, Distributors distributors, ClientDirectory clients, Clock clock) {
        this.keys = keys;
        this.distributors = distributors;
        this.clients = clients;
        this.clock = clock;
    }

    /**
     * @param confirmRfc the user confirmed an RFC whose check digit does not match (recorded in the history)
     */
    public PrepaidKey assign(DistributorUser user, KeyId keyId, String rfc, String clientName, boolean confirmRfc, String sourceIp) {
        ClientRfc validRfc = ClientRfc.parse(rfc, confirmRfc);
        distributors.ensureActive(user.distributorId());
        for (int attempt = 1; ; attempt++) {
            PrepaidKey key = keys.findKey(keyId).orElseThrow(() -> new DomainException(new DomainError.NotFound()));
            Instant now = Timestamps.stored(clock.instant());
            Client client = Client.of(validRfc, clientName);
            Assignment assignment = new Assignment(client, now, user.sub(), user.actorName(), validRfc.checkDigitOverridden());
            PrepaidKey assigned = key.assign(user.distributorId(), assignment, now);
            var found = clients.find(user.distributorId(), client.rfc()).orElse(null);
            try {
                keys.saveAssignment(assigned, key, KeyEvent.assigned(keyId, user.distributorId(), assignment, sourceIp),
                        List.of(DirectoryChange.keyTo(user.distributorId(), client, found, now)), now);
                Metrics.count(Metric.ASSIGNMENTS);
                return assigned;
            } catch (KeyChangedConcurrently lostRace) {
                // The key was assigned or voided meanwhile (the next read answers what it is now), or the
                // client entered the directory meanwhile (the next attempt counts one key more).
                if (attempt == ATTEMPTS) throw lostRace;
            }
        }
    }
}
