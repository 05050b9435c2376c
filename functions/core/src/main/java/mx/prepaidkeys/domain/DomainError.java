package mx.prepaidkeys.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * Everything the business can refuse. The edge maps each case to an HTTP status and a stable
 * {@code code} in one exhaustive switch, so adding a case here fails the build until it is mapped.
 */
public sealed interface DomainError {

    /** The typed text is not a key: wrong length, a symbol outside the alphabet, or a failed check character. */
    record KeyFormatInvalid() implements DomainError {}

    /**
     * Unknown, void, expired, or activated by another distributor. One case on purpose: a guesser
     * must not learn which of these it was.
     *
     * @param attemptsLeft failed attempts the user has left before a lock, as counted when this one
     *                     failed (null where no attempt was counted); it depends only on the user's and
     *                     their distributor's failures, never on the key
     */
    record KeyNotRedeemable(Integer attemptsLeft) implements DomainError {
        public KeyNotRedeemable() {
            this(null);
        }
    }

    /** The caller's own distributor already holds this key. */
    record KeyAlreadyActivated(KeyId keyId, Instant activatedAt) implements DomainError {}

    record LicenseNotAccepted() implements DomainError {}

    /** The caller accepted a licence version that is no longer the product's current one. */
    record LicenseVersionOutdated(String currentVersion) implements DomainError {}

    /** @param scope whose failures locked the caller out: their own, or their distributor's users' together */
    record TooManyAttempts(Duration retryAfter, LockScope scope) implements DomainError {}

    /** Who a guessing lock is on. */
    enum LockScope { USER, DISTRIBUTOR }

    /** Assign, void or confirm of a key already given to a client. */
    record KeyAlreadyUsed() implements DomainError {}

    /**
     * A correction of an assignment made {@link Assignment#CORRECTION_WINDOW} ago or more: the key stays with its client.
     *
     * @param assignedAt when the key was given to its client
     */
    record AssignmentFinal(Instant assignedAt) implements DomainError {}

    /** A correction of a key that was never given to a client (it still waits, or it is expired or void). */
    record KeyNotAssigned(KeyStatus status) implements DomainError {}

    /** Assign of the caller's own key that is expired or void: it can no longer go to a client. */
    record KeyNotAssignable(KeyStatus status) implements DomainError {}

    record ClientRfcInvalid(ClientRfc.Problem problem) implements DomainError {}

    /** A well-formed RFC whose check digit does not match; the caller may confirm it ({@code confirmRfc}). */
    record ClientRfcCheckDigit() implements DomainError {}

    /** A licence version is published once: the same version with other content is refused. */
    record LicenseVersionImmutable(String version) implements DomainError {}

    /** The same {@code Idempotency-Key} with a different request. */
    record IdempotencyKeyReused() implements DomainError {}

    /** The first request with this {@code Idempotency-Key} is still running. */
    record RequestInProgress(Duration retryAfter) implements DomainError {}

    /** A mint stopped before its deadline with {@code written} of {@code quantity} keys in: the same request again finishes it. */
    record MintIncomplete(String batchId, int written, int quantity) implements DomainError {}

    /** The back office asked to resend the confirmation email of a key that was never activated. */
    record EmailNotOwed(KeyStatus status) implements DomainError {}

    /**
     * The back office asked to resend an email held for an address its user had not verified,
     * without saying that the address is verified now ({@code addressVerified}).
     */
    record EmailHeld(String reason) implements DomainError {}

    /** Absent, or belongs to another distributor (a key id, a list cursor): the two must look the same. */
    record NotFound() implements DomainError {}

    record Forbidden() implements DomainError {}

    /** The caller's distributor account is suspended: its users may read, not capture, confirm or assign. */
    record AccountSuspended() implements DomainError {}

    /** A list cursor that was edited, is stale, or belongs to another filter. */
    record CursorInvalid() implements DomainError {}
}
