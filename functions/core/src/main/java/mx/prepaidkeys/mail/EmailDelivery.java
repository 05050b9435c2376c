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
import mx.prepaidkeys.log.Metric;
import mx.prepaidkeys.log.Metrics;

/**
 * Sends an owed confirmation email, once. The email is claimed first (PENDING -> SENDING): a
 * stream that delivers a record twice, or two senders at once, cannot both send it. A failed
 * send gives the email back (PENDING again, which triggers the next attempt after a growing wait);
 * after {@link #MAX_ATTEMPTS} attempts it is FAILED and dead-lettered for ops, who resend it.
 *
 * <p>Once SES has taken the message, only the SENT mark is retried (SES takes no idempotency
 * token: sending again would be a second email). A table that refuses the mark throughout, or a
 * sender that dies after SES took the message but before it marked it, leaves the email SENDING:
 * neither resent (no duplicate) nor lost from sight: {@code claimedAt} shows it, the log line
 * names SES's message id, and ops decide.
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

    /** {@code SENT_UNMARKED}: SES took it, the table refused the SENT mark every time (left SENDING). */
    public enum Outcome { SENT, SENT_UNMARKED, NOT_PENDING, RETRYING, FAILED }

    /** @param deadLetter told of an email given up on */
    public Outcome deliver(KeyId keyId, java.util.function.Consumer<Map<String, Object>> deadLetter) {
        var claimed = outbox.claim(keyId, clock.instant());
        if (claimed.isEmpty()) return Outcome.NOT_PENDING;
        int attempt = claimed.get().attempts();
        if (attempt > 1) pause(wait(attempt));
        String messageId;
        try {
            messageId = mailer.send(claimed.get().email());
        } catch (RuntimeException e) {
            String error = e.getClass().getSimpleName();
            Map<String, Object> line = new LinkedHashMap<>(Map.of("keyId", keyId.value(), "attempt", attempt, "error", error));
            if (attempt >= maxAttempts) {
                outbox.markFailed(keyId, error, clock.instant());
                JsonLog.error("confirmation_email_failed", line);
                Metrics.count(Metric.EMAILS_FAILED);
                deadLetter.accept(line);
                return Outcome.FAILED;
            }
            outbox.release(keyId, error, clock.instant());
            JsonLog.warn("confirmation_email_retry", line);
            Metrics.count(Metric.EMAILS_RETRIED);
            return Outcome.RETRYING;
        }
        Metrics.count(Metric.EMAILS_SENT);
        // SES has the message and takes no idempotency token: from here only the mark is retried, never the send
        for (int mark = 1; ; mark++) {
            try {
                outbox.markSent(keyId, messageId, clock.instant());
                JsonLog.info("confirmation_email_sent", Map.of("keyId", keyId.value(), "attempt", attempt));
                return Outcome.SENT;
            } catch (RuntimeException e) {
                if (mark >= MARK_TRIES) {
                    // left SENDING with its claim time: accounted for, never owed again; the log has SES's id
                    JsonLog.error("confirmation_email_sent_unmarked", Map.of("keyId", keyId.value(), "messageId", messageId,
                            "error", e.getClass().getSimpleName()));
                    return Outcome.SENT_UNMARKED;
                }
                pause(wait(mark + 1));
            }
        }
    }

    /** Tries at marking a sent email SENT: about 3 s of a refusing table with the production waits. */
    static final int MARK_TRIES = 6;

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
