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
     */
    record KeyNotRedeemable() implements DomainError {}

    /** The caller's own distributor already holds this key. */
    record KeyAlreadyActivated(String keyId, Instant activatedAt) implements DomainError {}

    record LicenseNotAccepted() implements DomainError {}

    /** The caller accepted a licence version that is no longer the product's current one. */
    record LicenseVersionOutdated(String currentVersion) implements DomainError {}

    record TooManyAttempts(Duration retryAfter) implements DomainError {}

    record KeyAlreadyUsed() implements DomainError {}

    record ClientRfcInvalid(String reason) implements DomainError {}

    /** Absent, or belongs to another distributor: the two must look the same. */
    record NotFound() implements DomainError {}

    record Forbidden() implements DomainError {}

    /** A list cursor that was edited, belongs to another account or to another filter. */
    record CursorInvalid() implements DomainError {}
}
