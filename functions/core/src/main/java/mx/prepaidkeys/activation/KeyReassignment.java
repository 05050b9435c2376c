package mx.prepaidkeys.activation;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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

/**
 * "Corregir asignación": a key given to the wrong client goes to the right one, within
 * {@link Assignment#CORRECTION_WINDOW} of the assignment. The history keeps both clients and why;
 * the directory's counts move from one client to the other.
 */
@Singleton
public class KeyReassignment {
    private final KeyRepository keys;
    private final Distributors distributors;
    private final ClientDirectory clients;
    private final Clock clock;

    public KeyReassignment(KeyRepository keys, Distributors distributors, ClientDirectory clients, Clock clock) {
        this.keys = keys;
        this.distributors = distributors;
        this.clients = clients;
        this.clock = clock;
    }

    /** @param reason one line, already checked by the text policy */
    public PrepaidKey reassign(DistributorUser user, KeyId keyId, String rfc, String clientName, boolean confirmRfc, String reason,
                               String sourceIp) {
        ClientRfc validRfc = ClientRfc.parse(rfc, confirmRfc);
        // a correction is an assignment: a suspended account makes none
        distributors.ensureActive(user.distributorId());
        for (int attempt = 1; ; attempt++) {
            PrepaidKey key = keys.findKey(keyId).orElseThrow(() -> new DomainException(new DomainError.NotFound()));
            Instant now = Timestamps.stored(clock.instant());
            Client client = Client.of(validRfc, clientName);
            Assignment correction = new Assignment(client, now, user.sub(), user.actorName(), validRfc.checkDigitOverridden());
            PrepaidKey reassigned = key.reassign(user.distributorId(), correction, now);
            Assignment from = key.assignment();
            List<DirectoryChange> directory = new ArrayList<>();
            // The same RFC (a name corrected): the key stays with the client, whose count does not move.
            if (!from.client().rfc().equals(client.rfc())) {
                // Keys assigned before the directory existed have no entry to take a key from.
                if (clients.find(user.distributorId(), from.client().rfc()).isPresent()) {
                    directory.add(new DirectoryChange.KeyRemoved(user.distributorId(), from.client().rfc()));
                }
                directory.add(DirectoryChange.keyTo(user.distributorId(), client,
                        clients.find(user.distributorId(), client.rfc()).orElse(null), now));
            }
            try {
                keys.saveReassignment(reassigned, key,
                        KeyEvent.reassigned(keyId, user.distributorId(), from, correction, reason, sourceIp), directory);
                return reassigned;
            } catch (KeyChangedConcurrently lostRace) {
                if (attempt == KeyAssignment.ATTEMPTS) throw lostRace;
            }
        }
    }
}
