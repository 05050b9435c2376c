package mx.prepaidkeys.edge;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.log.JsonLog;
import mx.prepaidkeys.store.IdempotencyStore;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * A request run once per {@code Idempotency-Key} (per route and user): the first answer is stored
 * and replayed to identical retries; the same key with another request is 422, and while the first
 * still runs, 409. A failed first run gives the key back, so that a retry runs again.
 */
final class IdempotentRun {
    /** Printable ASCII, as Powertools and Stripe accept; 255 at most. */
    private static final Pattern KEY = Pattern.compile("[\\x20-\\x7E]{1,255}");

    private IdempotentRun() {}

    /** @param handle the handler, its answer rendered as it goes on the wire */
    static ApiResponse of(ApiRequest request, IdempotencyStore store, Function<ApiRequest, ApiResponse> handle) {
        String key = request.header("idempotency-key");
        if (!KEY.matcher(key).matches()) throw new RequestInvalid("Idempotency-Key", "request.idempotencyKey");
        String recordKey = request.routeKey() + "#" + request.caller().sub() + "#" + sha256(key);
        request.idempotencyRecord(recordKey);
        return switch (store.claim(recordKey, request.fingerprint(), Instant.now(), request.endsBy())) {
            case IdempotencyStore.Claim.Acquired acquired -> {
                ApiResponse response;
                try {
                    response = handle.apply(request);
                } catch (RuntimeException e) {
                    if (!releaseQuietly(store, recordKey, acquired.token()) && isFault(e)) throw new ClaimHeld(e, acquired.lockedUntil());
                    throw e;
                }
                if (response.status() >= 200 && response.status() < 300) {
                    boolean stored = store.complete(recordKey, acquired.token(), new IdempotencyStore.StoredResponse(response.status(),
                            response.contentType(), response.headers(), (String) response.payload()));
                    // past its lease a retry took the key over: this run's answer still stands, the stored one is the retry's
                    if (!stored) JsonLog.warn("idempotency_taken_over", Map.of("status", response.status()));
                } else {
                    store.release(recordKey, acquired.token());
                }
                yield response;
            }
            case IdempotencyStore.Claim.Replay replay -> new ApiResponse(replay.response().status(), replay.response().body(),
                    replay.response().contentType(), replay.response().headers()).withHeader("idempotent-replayed", "true");
            case IdempotencyStore.Claim.InProgress inProgress -> throw new DomainException(new DomainError.RequestInProgress(
                    Duration.between(Instant.now(), inProgress.lockedUntil())));
            case IdempotencyStore.Claim.Mismatch mismatch -> throw new DomainException(new DomainError.IdempotencyKeyReused());
        };
    }

    /**
     * Gives the key back after a failed run. When the table is what failed, that may fail too: the
     * claim then frees itself at the end of its lease, and the caller hears when that is.
     */
    private static boolean releaseQuietly(IdempotencyStore store, String recordKey, String token) {
        try {
            store.release(recordKey, token);
            return true;
        } catch (RuntimeException e) {
            JsonLog.warn("idempotency_release_failed", Map.of("error", e.getClass().getName()));
            return false;
        }
    }

    private static boolean isFault(RuntimeException e) {
        return e instanceof SdkClientException || e instanceof SdkServiceException;
    }

    private static String sha256(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fault during an idempotent run whose claim could not be given back: the key is free at {@code lockedUntil}. */
    static final class ClaimHeld extends RuntimeException {
        final RuntimeException fault;
        final Instant lockedUntil;

        ClaimHeld(RuntimeException fault, Instant lockedUntil) {
            super(fault.getClass().getName(), fault, false, false);
            this.fault = fault;
            this.lockedUntil = lockedUntil;
        }
    }
}
