package mx.prepaidkeys.backoffice;

import jakarta.inject.Singleton;
import java.time.Clock;
import mx.prepaidkeys.domain.BackOfficeUser;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.KeyEvent;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.KeyRepository.KeyChangedConcurrently;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.domain.Voiding;

/** The back office takes one key out of use. */
@Singleton
public class KeyVoiding {
    private final KeyRepository keys;
    private final Clock clock;

    public KeyVoiding(KeyRepository keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** ISSUED or AVAILABLE -> VOID; a void key stays as it is (a retry answers the same); a used key is 409. */
    public PrepaidKey voidKey(BackOfficeUser admin, KeyId keyId, String reason) {
        Voiding voiding = new Voiding(reason, Timestamps.stored(clock.instant()), admin.sub(), admin.username());
        for (int attempt = 0; attempt < 3; attempt++) {
            PrepaidKey before = keys.findKey(keyId).orElseThrow(() -> new DomainException(new DomainError.NotFound()));
            PrepaidKey voided = before.voidWith(voiding);
            if (voided == before) return before;
            try {
                keys.saveVoid(before, voided, KeyEvent.voided(keyId, voiding, before.storedStatus()));
                return voided;
            } catch (KeyChangedConcurrently moved) {
                // confirmed or assigned meanwhile: decide again on what it is now
            }
        }
        throw new IllegalStateException("key " + keyId.value() + " kept changing while it was being voided");
    }
}
