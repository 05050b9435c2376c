package mx.prepaidkeys.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mx.prepaidkeys.domain.BackOfficeUser;
import mx.prepaidkeys.domain.ConfirmationEmail;
import mx.prepaidkeys.domain.ConfirmationMailer;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.EmailOutbox;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.TestKeyIds;
import org.junit.jupiter.api.Test;

/**
 * The confirmation email's delivery as a use case: claimed once, retried after a growing wait,
 * given up on and dead-lettered after the last attempt, never sent twice.
 */
class EmailDeliveryTest {
    private static final KeyId K1 = TestKeyIds.keyId(1);
    private static final KeyId K2 = TestKeyIds.keyId(2);
    private static final KeyId K3 = TestKeyIds.keyId(3);
    private static final KeyId K4 = TestKeyIds.keyId(4);
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T19:00:00Z"), ZoneOffset.UTC);
    private final Outbox outbox = new Outbox();
    private final Mailer mailer = new Mailer();
    private final List<Map<String, Object>> deadLetters = new ArrayList<>();
    /** Waits of 1 ms: the schedule is checked on {@code wait(n)}, not by sleeping through it. */
    private final EmailDelivery delivery = new EmailDelivery(outbox, mailer, clock, 3, 1);

    @Test
    void an_owed_email_is_sent_once_even_when_the_stream_delivers_its_record_twice() {
        outbox.owe(K1);
        assertEquals(EmailDelivery.Outcome.SENT, delivery.deliver(K1, deadLetters::add));
        assertEquals(EmailDelivery.Outcome.NOT_PENDING, delivery.deliver(K1, deadLetters::add));
        assertEquals(List.of(K1), mailer.sent);
        assertEquals("SENT", outbox.state.get(K1));
    }

    @Test
    void a_failed_send_gives_the_email_back_and_the_last_attempt_dead_letters_it() {
        outbox.owe(K2);
        mailer.failing = true;
        assertEquals(EmailDelivery.Outcome.RETRYING, delivery.deliver(K2, deadLetters::add));
        assertEquals("PENDING", outbox.state.get(K2), "owed again: the change triggers the next attempt");
        assertEquals(EmailDelivery.Outcome.RETRYING, delivery.deliver(K2, deadLetters::add));
        assertEquals(EmailDelivery.Outcome.FAILED, delivery.deliver(K2, deadLetters::add));
        assertEquals("FAILED", outbox.state.get(K2));
        assertEquals(1, deadLetters.size());
        assertEquals(Map.of("keyId", K2.value(), "attempt", 3, "error", "IllegalStateException"), deadLetters.getFirst());
        assertEquals(EmailDelivery.Outcome.NOT_PENDING, delivery.deliver(K2, deadLetters::add), "no automatic attempt after FAILED");
    }

    @Test
    void a_send_that_recovers_before_the_last_attempt_is_sent_once() {
        outbox.owe(K3);
        mailer.failing = true;
        delivery.deliver(K3, deadLetters::add);
        mailer.failing = false;
        assertEquals(EmailDelivery.Outcome.SENT, delivery.deliver(K3, deadLetters::add));
        assertEquals(List.of(K3), mailer.sent);
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void the_wait_doubles_from_100_ms_and_stops_growing_at_10_s() {
        var production = new EmailDelivery(outbox, mailer, clock, EmailDelivery.MAX_ATTEMPTS, 100);
        assertEquals(Duration.ofMillis(100), production.wait(2));
        assertEquals(Duration.ofMillis(200), production.wait(3));
        assertEquals(Duration.ofMillis(6_400), production.wait(8));
        assertEquals(Duration.ofSeconds(10), production.wait(9));
        assertEquals(Duration.ofSeconds(10), production.wait(60), "no overflow however late");
        long total = 0;
        for (int n = 2; n <= EmailDelivery.MAX_ATTEMPTS; n++) total += production.wait(n).toMillis();
        assertEquals(32_700, total, "about half a minute of SES outage is covered");
    }

    @Test
    void a_sent_mark_the_table_refuses_a_few_times_is_retried_and_the_email_is_not_sent_again() {
        outbox.owe(K1);
        outbox.markRefusals = 4;
        assertEquals(EmailDelivery.Outcome.SENT, delivery.deliver(K1, deadLetters::add));
        assertEquals("SENT", outbox.state.get(K1), "the mark went through on a later try");
        assertEquals(EmailDelivery.Outcome.NOT_PENDING, delivery.deliver(K1, deadLetters::add));
        assertEquals(List.of(K1), mailer.sent, "SES got the message once");
    }

    @Test
    void a_sent_mark_refused_throughout_leaves_the_email_sending_not_owed_again() {
        outbox.owe(K2);
        outbox.markRefusals = Integer.MAX_VALUE;
        assertEquals(EmailDelivery.Outcome.SENT_UNMARKED, delivery.deliver(K2, deadLetters::add));
        assertEquals("SENDING", outbox.state.get(K2), "accounted for (claimed, with its claim time), never given back to be sent again");
        assertEquals(EmailDelivery.Outcome.NOT_PENDING, delivery.deliver(K2, deadLetters::add));
        assertEquals(List.of(K2), mailer.sent, "SES got the message once");
        assertTrue(deadLetters.isEmpty(), "not a failure: the client has the email");
    }

    @Test
    void an_email_held_for_an_unverified_address_is_not_sent() {
        outbox.state.put(K4, "HELD");
        assertEquals(EmailDelivery.Outcome.NOT_PENDING, delivery.deliver(K4, deadLetters::add));
        assertTrue(mailer.sent.isEmpty());
    }

    /** Our own port, in memory: the conditional transitions DynamoEmailOutbox makes with conditions. */
    private static final class Outbox implements EmailOutbox {
        final Map<KeyId, String> state = new HashMap<>();
        final Map<KeyId, Integer> attempts = new HashMap<>();
        /** How many SENT marks the table refuses next (DynamoDB answering 500 to every SDK attempt). */
        int markRefusals;

        void owe(KeyId keyId) {
            state.put(keyId, "PENDING");
        }

        @Override
        public Optional<Claimed> claim(KeyId keyId, Instant at) {
            if (!"PENDING".equals(state.get(keyId))) return Optional.empty();
            state.put(keyId, "SENDING");
            int n = attempts.merge(keyId, 1, Integer::sum);
            return Optional.of(new Claimed(new ConfirmationEmail(keyId, "ana@norte.example", "Ana", "es-MX", "XXXXX-…-7Q2MA",
                    "SAE-12M", "Aspel SAE 9.0", new DistributorId("dist-norte"), at, LocalDate.of(2027, 11, 24)), n));
        }

        @Override
        public void markSent(KeyId keyId, String messageId, Instant at) {
            if (markRefusals > 0) {
                markRefusals--;
                throw new UncheckedIOException(new IOException("DynamoDB answered 500"));
            }
            move(keyId, "SENDING", "SENT");
        }

        @Override
        public void release(KeyId keyId, String error, Instant at) {
            move(keyId, "SENDING", "PENDING");
        }

        @Override
        public void markFailed(KeyId keyId, String error, Instant at) {
            move(keyId, "SENDING", "FAILED");
        }

        @Override
        public Optional<Resend> requestResend(KeyId keyId, BackOfficeUser by, Instant at, Instant staleBefore, boolean releaseHeld) {
            throw new UnsupportedOperationException("not a delivery step");
        }

        private void move(KeyId keyId, String from, String to) {
            if (!from.equals(state.get(keyId))) throw new IllegalStateException(keyId + " is " + state.get(keyId) + ", not " + from);
            state.put(keyId, to);
        }
    }

    private static final class Mailer implements ConfirmationMailer {
        final List<KeyId> sent = new ArrayList<>();
        boolean failing;

        @Override
        public String send(ConfirmationEmail email) {
            if (failing) throw new IllegalStateException("SES is down");
            sent.add(email.keyId());
            return "message-" + sent.size();
        }
    }
}
