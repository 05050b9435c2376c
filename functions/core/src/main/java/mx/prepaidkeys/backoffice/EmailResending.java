package mx.prepaidkeys.backoffice;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import mx.prepaidkeys.domain.BackOfficeUser;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.EmailOutbox;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.log.JsonLog;

/**
 * The back office's "resend confirmation email": the email an activation owes goes out again,
 * through the same notifier, once per request. It is also how ops redrive a dead-lettered email, and
 * how they release one whose sender died mid-send (claimed more than {@link #STALE_CLAIM} ago).
 */
@Singleton
public class EmailResending {
    /** Longer than a notifier can run (its timeout is 5 minutes), so a live send is never doubled. */
    public static final Duration STALE_CLAIM = Duration.ofMinutes(15);

    private final KeyRepository keys;
    private final EmailOutbox outbox;
    private final Clock clock;

    public EmailResending(KeyRepository keys, EmailOutbox outbox, Clock clock) {
        this.keys = keys;
        this.outbox = outbox;
        this.clock = clock;
    }

    public EmailOutbox.Resend resend(BackOfficeUser admin, KeyId keyId) {
        return resend(admin, keyId, false);
    }

    /**
     * @param addressVerified the admin checked that the user has verified their address since: an
     *     email held for an unverified address is released (HELD -> PENDING); without it, such an
     *     email stays held ({@code EmailHeld})
     */
    public EmailOutbox.Resend resend(BackOfficeUser admin, KeyId keyId, boolean addressVerified) {
        Instant now = clock.instant();
        var resend = outbox.requestResend(keyId, admin, now, now.minus(STALE_CLAIM), addressVerified);
        if (resend.isEmpty()) {
            PrepaidKey key = keys.findKey(keyId).orElseThrow(() -> new DomainException(new DomainError.NotFound()));
            throw new DomainException(new DomainError.EmailNotOwed(key.status(now)));
        }
        if (resend.get().state().equals("HELD")) {
            throw new DomainException(new DomainError.EmailHeld(mx.prepaidkeys.domain.KeyEvent.EMAIL_NOT_VERIFIED));
        }
        JsonLog.info("confirmation_email_resend", Map.of("keyId", keyId.value(), "queued", resend.get().queued(),
                "state", resend.get().state()));
        return resend.get();
    }
}
