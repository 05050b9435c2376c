package mx.prepaidkeys.activation;

import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.FailedAttempts;
import mx.prepaidkeys.domain.FailedAttempts.Slot;
import mx.prepaidkeys.domain.UserId;
import mx.prepaidkeys.log.JsonLog;
import mx.prepaidkeys.log.Metric;
import mx.prepaidkeys.log.Metrics;

/**
 * Key guessing costs a guesser their account. Every capture or confirm that reaches the table takes
 * one of the user's {@value #USER_LIMIT} attempt slots first, and a slot is free again 15 minutes
 * after it was taken; a look-up that fails (unknown, void, expired or another distributor's key,
 * all answered alike) keeps its slot, any other outcome gives it back. Taking a slot is one
 * conditional write, so however many requests arrive at once, at most {@value #USER_LIMIT} look keys
 * up in a window. A typo caught by the check character never gets here.
 *
 * <p>The distributor has a brake too: {@value #DISTRIBUTOR_LIMIT} failures in the window lock all its
 * users, counting at most {@value #USER_LIMIT} of any one user, so no single user (whose own limit
 * stops them at {@value #USER_LIMIT}) can lock their colleagues out. It is read before the look-up
 * and written after a failure: users of one distributor guessing at the same instant can pass it by
 * their attempts in flight, each of which their own slots still bound.
 */
@Singleton
public class AttemptGuard {
    public static final int USER_LIMIT = 10;
    public static final int DISTRIBUTOR_LIMIT = 50;
    public static final Duration WINDOW = Duration.ofMinutes(15);
    /**
     * Rounds of read and conditional write before giving up. Each round at least one of the
     * attempts racing for the same slot wins it, so {@value #USER_LIMIT} simultaneous attempts all
     * get a slot within {@value #USER_LIMIT} rounds.
     */
    static final int CLAIM_ROUNDS = USER_LIMIT + 2;

    private final FailedAttempts attempts;
    private final Clock clock;

    public AttemptGuard(FailedAttempts attempts, Clock clock) {
        this.attempts = attempts;
        this.clock = clock;
    }

    /**
     * Runs a key look-up as one attempt of the user: a slot is taken before it runs, kept when it
     * ends in {@code KeyNotRedeemable}, given back otherwise.
     *
     * @throws DomainException {@code TooManyAttempts} with the wait, before {@code lookUp} runs, while the user or their distributor is locked
     */
    public <T> T attempt(DistributorUser user, Supplier<T> lookUp) {
        Attempt attempt = reserve(user);
        T result;
        try {
            result = lookUp.get();
        } catch (DomainException e) {
            if (!(e.error() instanceof DomainError.KeyNotRedeemable)) {
                attempt.giveBack();
                throw e;
            }
            // The same answer for every unredeemable key, with what the user has left to try.
            throw new DomainException(new DomainError.KeyNotRedeemable(attempt.failed()));
        } catch (RuntimeException | Error e) {
            attempt.giveBack();
            throw e;
        }
        attempt.giveBack();
        return result;
    }

    /**
     * Takes a free slot of the user's, or refuses while none is free or the distributor is locked.
     *
     * @throws DomainException {@code TooManyAttempts}
     */
    public Attempt reserve(DistributorUser user) {
        for (int round = 0; round < CLAIM_ROUNDS; round++) {
            Instant now = clock.instant();
            FailedAttempts.Snapshot snapshot = attempts.read(user.sub(), user.distributorId());
            Instant distributorLockedUntil = distributorLockedUntil(snapshot.distributorFailures(), now);
            if (distributorLockedUntil != null) throw tooMany(DomainError.LockScope.DISTRIBUTOR, distributorLockedUntil, now);
            List<Integer> free = new ArrayList<>();
            Instant oldest = null;
            for (int index = 0; index < USER_LIMIT; index++) {
                Slot slot = snapshot.userSlots().get(index);
                if (slot == null || !slot.at().plus(WINDOW).isAfter(now)) free.add(index);
                else if (oldest == null || slot.at().isBefore(oldest)) oldest = slot.at();
            }
            if (free.isEmpty()) throw tooMany(DomainError.LockScope.USER, oldest.plus(WINDOW), now);
            // A random free slot: attempts arriving together mostly pick different ones, so few retry.
            int index = free.get(ThreadLocalRandom.current().nextInt(free.size()));
            Slot claimed = new Slot(now, token());
            if (attempts.claim(user.sub(), index, snapshot.userSlots().get(index), claimed)) {
                return new Attempt(user, index, claimed, free.size() - 1, recentFailures(snapshot.distributorFailures(), now));
            }
        }
        // Only a flood of simultaneous attempts by this one user gets here: refuse it like one.
        JsonLog.warn("attempts_contended", Map.of("rounds", CLAIM_ROUNDS));
        Metrics.count(Metric.LOCKOUTS);
        throw new DomainException(new DomainError.TooManyAttempts(Duration.ofSeconds(1), DomainError.LockScope.USER));
    }

    /** One attempt in flight, holding a slot of its user's. */
    public final class Attempt {
        private final DistributorUser user;
        private final int index;
        private final Slot claimed;
        private final int otherFreeSlots;
        private final List<FailedAttempts.Failure> distributorFailures;

        private Attempt(DistributorUser user, int index, Slot claimed, int otherFreeSlots, List<FailedAttempts.Failure> distributorFailures) {
            this.user = user;
            this.index = index;
            this.claimed = claimed;
            this.otherFreeSlots = otherFreeSlots;
            this.distributorFailures = distributorFailures;
        }

        /**
         * The look-up failed: the slot stays taken until the window has passed, and the distributor's brake counts it.
         *
         * @return the failed attempts left before the user or their distributor is locked, as read before this one
         *         (concurrent attempts of the same user or colleagues may take some meanwhile)
         */
        public int failed() {
            Metrics.count(Metric.FAILED_ATTEMPTS);
            Instant now = clock.instant();
            attempts.recordDistributorFailure(user.distributorId(), user.sub(), now);
            List<FailedAttempts.Failure> withThis = new ArrayList<>(distributorFailures);
            withThis.add(new FailedAttempts.Failure(now, user.sub()));
            markLocks(withThis, now);
            return Math.max(0, Math.min(otherFreeSlots, DISTRIBUTOR_LIMIT - counted(withThis)));
        }

        /**
         * Records a lock this failure may have completed, for the back office's list. Near the user's
         * limit the slots are read again: attempts in flight took some since this one's read.
         */
        private void markLocks(List<FailedAttempts.Failure> withThis, Instant now) {
            try {
                if (otherFreeSlots <= 2) {
                    Instant userUntil = userLockedUntil(attempts.userSlots(user.sub()), now);
                    if (userUntil != null) attempts.markUserLocked(user.sub(), user.actorName(), user.distributorId(), userUntil);
                }
                Instant distributorUntil = distributorLockedUntil(withThis, now);
                if (distributorUntil != null) attempts.markDistributorLocked(user.distributorId(), distributorUntil);
            } catch (RuntimeException e) {
                // The lock holds all the same; only the back office's list would miss it.
                JsonLog.warn("lock_not_marked", Map.of("error", e.getClass().getSimpleName()));
            }
        }

        /** The look-up was not a failed guess: the slot is free again. */
        public void giveBack() {
            try {
                attempts.free(user.sub(), index, claimed);
            } catch (RuntimeException e) {
                // The answer stands; the slot frees itself when the window has passed.
                JsonLog.warn("attempt_not_given_back", Map.of("error", e.getClass().getSimpleName()));
            }
        }
    }

    /** When the user's lock lets go, or null while a slot is free: locked while all {@value #USER_LIMIT} are taken in the window. */
    public static Instant userLockedUntil(Map<Integer, Slot> slots, Instant now) {
        Instant oldest = null;
        for (int index = 0; index < USER_LIMIT; index++) {
            Slot slot = slots.get(index);
            if (slot == null || !slot.at().plus(WINDOW).isAfter(now)) return null;
            if (oldest == null || slot.at().isBefore(oldest)) oldest = slot.at();
        }
        return oldest.plus(WINDOW);
    }

    /**
     * When the distributor's brake lets go, or null while it holds no lock: locked while its
     * failures in the window, at most {@value #USER_LIMIT} counted per user, reach {@value #DISTRIBUTOR_LIMIT}.
     */
    public static Instant distributorLockedUntil(List<FailedAttempts.Failure> failures, Instant now) {
        List<FailedAttempts.Failure> recent = recentFailures(failures, now);
        recent.sort((a, b) -> a.at().compareTo(b.at()));
        // The lock lasts until enough of the oldest failures have left the window.
        for (int dropped = 0; dropped < recent.size(); dropped++) {
            if (counted(recent.subList(dropped, recent.size())) < DISTRIBUTOR_LIMIT) {
                return dropped == 0 ? null : recent.get(dropped - 1).at().plus(WINDOW);
            }
        }
        return recent.isEmpty() ? null : recent.getLast().at().plus(WINDOW);
    }

    private static List<FailedAttempts.Failure> recentFailures(List<FailedAttempts.Failure> failures, Instant now) {
        List<FailedAttempts.Failure> recent = new ArrayList<>();
        for (var failure : failures) if (failure.at().plus(WINDOW).isAfter(now)) recent.add(failure);
        return recent;
    }

    /** Failures counted with each user's share capped at the user's own limit. */
    static int counted(List<FailedAttempts.Failure> failures) {
        // A failure logged before users were counted has none: those are counted together, as one user.
        Map<UserId, Integer> byUser = new java.util.HashMap<>();
        for (var failure : failures) byUser.merge(failure.userSub(), 1, Integer::sum);
        int count = 0;
        for (int perUser : byUser.values()) count += Math.min(perUser, USER_LIMIT);
        return count;
    }

    private static DomainException tooMany(DomainError.LockScope scope, Instant until, Instant now) {
        Duration wait = Duration.between(now, until);
        JsonLog.warn("attempts_locked", Map.of("scope", scope.name().toLowerCase(java.util.Locale.ROOT), "retryAfterSeconds", wait.toSeconds()));
        Metrics.count(Metric.LOCKOUTS);
        return new DomainException(new DomainError.TooManyAttempts(wait.isNegative() ? Duration.ofSeconds(1) : wait.plusSeconds(1), scope));
    }

    private static String token() {
        byte[] bytes = new byte[8];
        // A generator per attempt: SnapStart copies of one snapshot never share its state.
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
