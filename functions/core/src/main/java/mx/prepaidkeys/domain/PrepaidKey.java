package mx.prepaidkeys.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A prepaid key as the service knows it: never the key itself, only its id, masked form and state.
 * Methods decide what a request means for the key; the repository then makes the decision stick
 * with one conditional write whose condition is the same rule.
 *
 * @param expiresAt   null when the key never expires
 * @param activation  null until a distributor confirms the key
 * @param assignment  null until the distributor gives it to a client
 * @param voiding     null unless the back office voided it
 * @param hashVersion the version of the secret its id was hashed under ({@link SecretKeys})
 */
public record PrepaidKey(
        KeyId keyId,
        String maskedKey,
        String productSku,
        String productName,
        String batchId,
        KeyStatus storedStatus,
        Instant expiresAt,
        Activation activation,
        Assignment assignment,
        Voiding voiding,
        int hashVersion) {

    public PrepaidKey {
        Objects.requireNonNull(keyId);
        Objects.requireNonNull(storedStatus);
        if (storedStatus == KeyStatus.EXPIRED) throw new IllegalArgumentException("EXPIRED is computed, never stored");
        if (hashVersion < 1) throw new IllegalArgumentException("hash versions are numbered from 1");
    }

    /** A key whose id was hashed under the first version of the secret. */
    public PrepaidKey(KeyId keyId, String maskedKey, String productSku, String productName, String batchId, KeyStatus storedStatus,
                      Instant expiresAt, Activation activation, Assignment assignment, Voiding voiding) {
        this(keyId, maskedKey, productSku, productName, batchId, storedStatus, expiresAt, activation, assignment, voiding, 1);
    }

    /** A freshly minted key: sold, in nobody's account yet (its id hashed under the first version of the secret). */
    public static PrepaidKey issued(KeyId keyId, String maskedKey, Product product, String batchId, Instant expiresAt) {
        return issued(keyId, maskedKey, product, batchId, expiresAt, 1);
    }

    /** A freshly minted key whose id was hashed under version {@code hashVersion} of the secret. */
    public static PrepaidKey issued(KeyId keyId, String maskedKey, Product product, String batchId, Instant expiresAt, int hashVersion) {
        return new PrepaidKey(keyId, maskedKey, product.sku(), product.name(), batchId, KeyStatus.ISSUED, expiresAt, null, null, null,
                hashVersion);
    }

    /** The status a user sees at {@code now}: ISSUED and AVAILABLE keys past their expiry read as EXPIRED. */
    public KeyStatus status(Instant now) {
        boolean redeemable = storedStatus == KeyStatus.ISSUED || storedStatus == KeyStatus.AVAILABLE;
        if (redeemable && expiresAt != null && !now.isBefore(expiresAt)) return KeyStatus.EXPIRED;
        return storedStatus;
    }

    public DistributorId distributorId() {
        return activation == null ? null : activation.distributorId();
    }

    public boolean heldBy(DistributorId distributorId) {
        return distributorId != null && distributorId.equals(distributorId());
    }

    /**
     * What capturing this key means for {@code distributorId}: nothing changes, but the answer
     * differs. Only the caller's own keys are told apart; every other case is "not redeemable".
     */
    public void ensureCapturableBy(DistributorId distributorId, Instant now) {
        KeyStatus status = status(now);
        if (heldBy(distributorId) && (status == KeyStatus.AVAILABLE || status == KeyStatus.USED)) {
            throw new DomainException(new DomainError.KeyAlreadyActivated(keyId, activation.activatedAt()));
        }
        if (status != KeyStatus.ISSUED) throw new DomainException(new DomainError.KeyNotRedeemable());
    }

    /**
     * What confirming this key means for {@code distributorId}.
     *
     * @return {@link Confirmation#ACTIVATE} when the key must move to AVAILABLE, {@link Confirmation#REPEAT}
     *     when this distributor already activated it and it still waits to be assigned (a retry or a
     *     double click: answer as the first time, change nothing)
     */
    public Confirmation confirmationBy(DistributorId distributorId, Instant now) {
        KeyStatus status = status(now);
        if (heldBy(distributorId) && status == KeyStatus.AVAILABLE) return Confirmation.REPEAT;
        if (heldBy(distributorId) && status == KeyStatus.USED) {
            throw new DomainException(new DomainError.KeyAlreadyActivated(keyId, activation.activatedAt()));
        }
        if (status != KeyStatus.ISSUED) throw new DomainException(new DomainError.KeyNotRedeemable());
        return Confirmation.ACTIVATE;
    }

    /** ISSUED -> AVAILABLE for the activation's distributor. */
    public PrepaidKey activate(Activation activation, Instant now) {
        if (status(now) != KeyStatus.ISSUED) throw new IllegalStateException("only an ISSUED key can be activated");
        return new PrepaidKey(keyId, maskedKey, productSku, productName, batchId, KeyStatus.AVAILABLE, expiresAt,
                Objects.requireNonNull(activation), null, null, hashVersion);
    }

    /**
     * AVAILABLE -> USED: the caller's distributor gives the key to a client. Another distributor's
     * key does not exist for the caller (404, like an unknown id).
     */
    public PrepaidKey assign(DistributorId distributorId, Assignment assignment, Instant now) {
        if (!heldBy(distributorId)) throw new DomainException(new DomainError.NotFound());
        KeyStatus status = status(now);
        if (status == KeyStatus.USED) throw new DomainException(new DomainError.KeyAlreadyUsed());
        if (status != KeyStatus.AVAILABLE) throw new DomainException(new DomainError.KeyNotAssignable(status));
        return new PrepaidKey(keyId, maskedKey, productSku, productName, batchId, KeyStatus.USED, expiresAt, activation,
                Objects.requireNonNull(assignment), null, hashVersion);
    }

    /**
     * USED -> USED by another client: an assignment corrected within {@link Assignment#CORRECTION_WINDOW}
     * of it. The window runs from the first assignment, so corrections never extend it.
     *
     * @param correction who corrects it, when, and the client it goes to now
     */
    public PrepaidKey reassign(DistributorId distributorId, Assignment correction, Instant now) {
        if (!heldBy(distributorId)) throw new DomainException(new DomainError.NotFound());
        KeyStatus status = status(now);
        if (status != KeyStatus.USED) throw new DomainException(new DomainError.KeyNotAssigned(status));
        if (!assignment.correctableAt(now)) throw new DomainException(new DomainError.AssignmentFinal(assignment.assignedAt()));
        // Who assigned it and when stay: the history's REASSIGNED entry says who corrected it.
        Assignment kept = new Assignment(correction.client(), assignment.assignedAt(), assignment.bySub(), assignment.byUsername(),
                correction.rfcCheckDigitOverridden());
        return new PrepaidKey(keyId, maskedKey, productSku, productName, batchId, KeyStatus.USED, expiresAt, activation, kept, null,
                hashVersion);
    }

    /**
     * ISSUED or AVAILABLE (expired or not) -> VOID. A used key stays with its client.
     *
     * @return the voided key, or this key unchanged when it already was void
     */
    public PrepaidKey voidWith(Voiding voiding) {
        if (storedStatus == KeyStatus.VOID) return this;
        if (storedStatus == KeyStatus.USED) throw new DomainException(new DomainError.KeyAlreadyUsed());
        return new PrepaidKey(keyId, maskedKey, productSku, productName, batchId, KeyStatus.VOID, expiresAt, activation, null,
                Objects.requireNonNull(voiding), hashVersion);
    }

    /** Who may read this key: its distributor's users (everyone else gets 404), and the back office. */
    public void ensureVisibleTo(DistributorId distributorId) {
        if (!heldBy(distributorId)) throw new DomainException(new DomainError.NotFound());
    }

    public enum Confirmation { ACTIVATE, REPEAT }
}
