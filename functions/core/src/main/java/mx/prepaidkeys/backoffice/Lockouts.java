package mx.prepaidkeys.backoffice;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.activation.AttemptGuard;
import mx.prepaidkeys.domain.BackOfficeUser;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.FailedAttempts;
import mx.prepaidkeys.domain.UserId;
import mx.prepaidkeys.log.JsonLog;

/**
 * The guessing locks in force, for the back office: users whose {@value AttemptGuard#USER_LIMIT}
 * attempt slots are all taken, distributors whose users failed {@value AttemptGuard#DISTRIBUTOR_LIMIT}
 * times, each with when it lets go. Lifting a user's lock frees their slots at once.
 */
@Singleton
public class Lockouts {
    private final FailedAttempts attempts;
    private final Clock clock;

    public Lockouts(FailedAttempts attempts, Clock clock) {
        this.attempts = attempts;
        this.clock = clock;
    }

    /** @param userSub null for a distributor's lock */
    public record Lock(DomainError.LockScope scope, UserId userSub, String username, DistributorId distributorId, Instant until) {}

    /** The locks in force now, the soonest to let go first; a mark whose slots no longer lock is left out. */
    public List<Lock> current() {
        Instant now = clock.instant();
        List<Lock> locks = new ArrayList<>();
        for (var marked : attempts.markedAfter(now)) {
            Instant until = marked.scope() == DomainError.LockScope.USER
                    ? AttemptGuard.userLockedUntil(marked.userSlots(), now)
                    : AttemptGuard.distributorLockedUntil(marked.distributorFailures(), now);
            if (until != null) locks.add(new Lock(marked.scope(), marked.userSub(), marked.username(), marked.distributorId(), until));
        }
        locks.sort(Comparator.comparing(Lock::until));
        return locks;
    }

    /**
     * Lifts the user's lock: every slot of theirs is free again.
     *
     * @throws DomainException {@code NotFound} when the user holds no lock
     */
    public void lift(BackOfficeUser admin, UserId userSub) {
        if (AttemptGuard.userLockedUntil(attempts.userSlots(userSub), clock.instant()) == null) {
            throw new DomainException(new DomainError.NotFound());
        }
        attempts.freeAll(userSub);
        JsonLog.info("lock_lifted", Map.of("userSub", userSub.value(), "by", admin.sub().value()));
    }
}
