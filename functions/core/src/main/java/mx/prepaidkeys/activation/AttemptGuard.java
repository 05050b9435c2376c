package mx.prepaidkeys.activation;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.FailedAttempts;
import mx.prepaidkeys.log.JsonLog;

/**
 * Key guessing costs a guesser their account: 10 failed captures or confirms in 15 minutes lock a
 * user out of both, 50 lock their whole distributor, until the window has passed, even for a
 * valid key. A failure is a key that is unknown, void, expired or another distributor's (all
 * answered alike); a typo caught by the check character costs nothing.
 */
@Singleton
public class AttemptGuard {
    public static final int USER_LIMIT = 10;
    public static final int DISTRIBUTOR_LIMIT = 50;
    public static final Duration WINDOW = Duration.ofMinutes(15);

    private final FailedAttempts attempts;
    private final Clock clock;

    public AttemptGuard(FailedAttempts attempts, Clock clock) {
        this.attempts = attempts;
        this.clock = clock;
    }

    /** @throws DomainException {@code TooManyAttempts} with the wait, while the user or their distributor is locked */
    public void ensureAllowed(DistributorUser user) {
        Instant now = clock.instant();
        FailedAttempts.Recent recent = attempts.recent(user.sub(), user.distributorId());
        Instant until = max(lockedUntil(recent.user(), USER_LIMIT, now), lockedUntil(recent.distributor(), DISTRIBUTOR_LIMIT, now));
        if (until != null) {
            Duration wait = Duration.between(now, until);
            JsonLog.warn("attempts_locked", Map.of("retryAfterSeconds", wait.toSeconds()));
            throw new DomainException(new DomainError.TooManyAttempts(wait.isNegative() ? Duration.ofSeconds(1) : wait.plusSeconds(1)));
        }
    }

    public void recordFailure(DistributorUser user) {
        attempts.record(user.sub(), user.distributorId(), clock.instant());
    }

    /** A scope is locked while its {@code limit}-th most recent failure is less than a window old. */
    static Instant lockedUntil(List<Instant> failures, int limit, Instant now) {
        if (failures.size() < limit) return null;
        Instant until = failures.get(failures.size() - limit).plus(WINDOW);
        return until.isAfter(now) ? until : null;
    }

    private static Instant max(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isAfter(b) ? a : b;
    }
}
