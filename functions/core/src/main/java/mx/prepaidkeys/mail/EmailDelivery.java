package mx.prepaidkeys.mail;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import mx.prepaidkeys.domain.ConfirmationMailer;
import mx.prepaidkeys.domain.EmailOutbox;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.log.JsonLog;

/**
 * Sends an owed confirmation email, once. The email is claimed first (PENDING -> SENDING): a
 * stream that delivers a record twice, or two senders at once, cannot both send it. A failed
 * send gives the email back (PENDING again, which triggers the next attempt after a growing wait);
 * after {@link #MAX_ATTEMPTS} attempts it is FAILED and dead-lettered for ops, who resend it.
 *
 * <p>One case cannot be told apart: a sender that dies after SES took the message but before it
 * marked it SENT leaves the email SENDING. It is then neither resent (no duplicate) nor lost from
 * sight: {@code claimedAt} shows it, and ops decide.
 */
@Singleton
public class EmailDelivery {
    public static final int MAX_ATTEMPTS = 10;
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(10);

    private final EmailOutbox outbox;
    private final ConfirmationMailer mailer;
    private final Clock clock;
    private final int maxAttempts;
    private final Duration firstWait;

    /**
     * @param maxAttempts attempts before an email is given up on ({@value #MAX_ATTEMPTS}; tests shorten it)
     * @param firstWaitMillis the wait before the second attempt, doubled for each next one (100 ms)
     */
    public EmailDelivery(EmailOutbox outbox, ConfirmationMailer mailer, Clock clock,
                         @Value("${email.max-attempts:10}") int maxAttempts, @Value("${email.first-wait-millis:100}") long firstWaitMillis) {
        this.outbox = outbox;
        this.mailer = mailer;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.firstWait = Duration.ofMillis(firstWaitMillis);
    }

    public enum Outcome { SENT, NOT_PENDING, RETRYING, FAILED }

    /** @param deadLetter told of an email given up on */
    public Outcome deliver(KeyId keyId, java.util.function.Consumer<Map<String, Object>> deadLetter) {
        var claimed = outbox.claim(keyId, clock.instant());
        if (claimed.isEmpty()) return Outcome.NOT_PENDING;
        int attempt = claimed.get().attempts();
        if (attempt > 1) pause(wait(attempt));
        try {
            String messageId = mailer.send(claimed.get().email());
            outbox.markSent(keyId, messageId, clock.instant());
            JsonLog.info("confirmation_email_sent", Map.of("keyId", keyId.value(), "attempt", attempt));
            return Outcome.SENT;
        } catch (RuntimeException e) {
            String error = e.getClass().getSimpleName();
            Map<String, Object> line = new LinkedHashMap<>(Map.of("keyId", keyId.value(), "attempt", attempt, "error", error));
            if (attempt >= maxAttempts) {
                outbox.markFailed(keyId, error, clock.instant());
                JsonLog.error("confirmation_email_failed", line);
                deadLetter.accept(line);
                return Outcome.FAILED;
            }
            outbox.release(keyId, error, clock.instant());
            JsonLog.warn("confirmation_email_retry", line);
            return Outcome.RETRYING;
        }
    }

    /** 100 ms, 200 ms, 400 ms … up to 10 s before attempt n: about half a minute of SES outage is covered. */
    Duration wait(int attempt) {
        long millis = firstWait.toMillis() << Math.min(attempt - 2, 20);
        return Duration.ofMillis(Math.min(millis, LONGEST_WAIT.toMillis()));
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
