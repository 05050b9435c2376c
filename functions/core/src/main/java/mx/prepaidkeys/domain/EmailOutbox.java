package mx.prepaidkeys.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * The confirmation emails activations owe, and their state: PENDING (owed), SENDING (claimed by one
 * sender), SENT, FAILED (given up; ops resend it), or HELD (not owed to its address until the back
 * office releases it: the user had not verified it). State changes are conditional, so one email
 * is sent by one sender at a time, and never again once SENT unless the back office asks.
 */
public interface EmailOutbox {

    /** Claims a PENDING email for sending (PENDING -> SENDING); empty when it is not PENDING any more. */
    Optional<Claimed> claim(KeyId keyId, Instant at);

    void markSent(KeyId keyId, String messageId, Instant at);

    /** SENDING -> PENDING: try again later (the change itself triggers the next attempt). */
    void release(KeyId keyId, String error, Instant at);

    /** SENDING -> FAILED: no more automatic attempts. */
    void markFailed(KeyId keyId, String error, Instant at);

    /**
     * The back office asks for the email again: SENT, FAILED, or SENDING claimed before
     * {@code staleBefore} (a sender that died mid-send) -> PENDING; HELD -> PENDING too when
     * {@code releaseHeld} (the back office checked that the address is now verified).
     *
     * @param by who asked ({@code sub} and username), kept on the email
     * @return whether it is PENDING now because of this request, and its state; empty when the key owes no email
     */
    Optional<Resend> requestResend(KeyId keyId, BackOfficeUser by, Instant at, Instant staleBefore, boolean releaseHeld);

    /** @param queued true when this request made the email PENDING; false when it already was on its way */
    record Resend(String state, boolean queued) {}

    /** @param attempts how many times it was claimed, this time included */
    record Claimed(ConfirmationEmail email, int attempts) {}
}
