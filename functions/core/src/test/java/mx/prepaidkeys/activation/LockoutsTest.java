package mx.prepaidkeys.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import mx.prepaidkeys.backoffice.Lockouts;
import mx.prepaidkeys.domain.BackOfficeUser;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.UserId;
import org.junit.jupiter.api.Test;

/** The locks the attempt guard sets, as the back office lists and lifts them. */
class LockoutsTest {
    private final AttemptGuardTest.MutableClock clock = new AttemptGuardTest.MutableClock(Instant.parse("2026-11-25T19:00:00Z"));
    private final InMemoryFailedAttempts store = new InMemoryFailedAttempts();
    private final AttemptGuard guard = new AttemptGuard(store, clock);
    private final Lockouts lockouts = new Lockouts(store, clock);
    private final BackOfficeUser admin = new BackOfficeUser(new UserId("sub-admin"), "admin");

    private static DistributorUser user(String sub, String distributorId) {
        return new DistributorUser(new UserId(sub), sub, sub + "@example.com", true, sub, new DistributorId(distributorId), "es-MX");
    }

    private void fail(DistributorUser user, int times) {
        for (int i = 0; i < times; i++) {
            assertThrows(DomainException.class, () -> guard.attempt(user, () -> {
                throw new DomainException(new DomainError.KeyNotRedeemable());
            }));
            clock.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void a_user_with_ten_failures_is_listed_until_the_oldest_leaves_the_window_and_nine_are_not() {
        Instant first = clock.instant();
        fail(user("ana", "dist-1"), AttemptGuard.USER_LIMIT - 1);
        assertEquals(List.of(), lockouts.current(), "nine failures lock nobody");
        fail(user("ana", "dist-1"), 1);
        var locks = lockouts.current();
        assertEquals(1, locks.size(), locks.toString());
        var lock = locks.getFirst();
        assertEquals(DomainError.LockScope.USER, lock.scope());
        assertEquals(new UserId("ana"), lock.userSub());
        assertEquals("ana", lock.username());
        assertEquals(new DistributorId("dist-1"), lock.distributorId());
        assertEquals(first.plus(AttemptGuard.WINDOW), lock.until());
        clock.advance(AttemptGuard.WINDOW);
        assertEquals(List.of(), lockouts.current(), "the oldest failure left the window: a slot is free");
    }

    @Test
    void lifting_a_users_lock_frees_their_slots_and_a_user_without_one_is_not_found() {
        DistributorUser ana = user("ana", "dist-1");
        fail(ana, AttemptGuard.USER_LIMIT);
        var locked = assertThrows(DomainException.class, () -> guard.attempt(ana, () -> "looked up"));
        assertInstanceOf(DomainError.TooManyAttempts.class, locked.error());
        lockouts.lift(admin, ana.sub());
        assertEquals("looked up", guard.attempt(ana, () -> "looked up"));
        assertEquals(List.of(), lockouts.current());
        for (String sub : List.of("ana", "nobody")) {
            var none = assertThrows(DomainException.class, () -> lockouts.lift(admin, new UserId(sub)));
            assertInstanceOf(DomainError.NotFound.class, none.error(), sub);
        }
    }

    @Test
    void a_distributor_locked_by_five_users_is_listed_with_them() {
        for (int u = 0; u < 5; u++) fail(user("user-" + u, "dist-2"), AttemptGuard.USER_LIMIT);
        var locks = lockouts.current();
        assertEquals(1, locks.stream().filter(l -> l.scope() == DomainError.LockScope.DISTRIBUTOR).count(), locks.toString());
        assertEquals(5, locks.stream().filter(l -> l.scope() == DomainError.LockScope.USER).count(), locks.toString());
        var distributor = locks.stream().filter(l -> l.scope() == DomainError.LockScope.DISTRIBUTOR).findFirst().orElseThrow();
        assertEquals(new DistributorId("dist-2"), distributor.distributorId());
        var refused = assertThrows(DomainException.class, () -> guard.attempt(user("user-9", "dist-2"), () -> "x"));
        assertEquals(new DomainError.TooManyAttempts(Duration.between(clock.instant(), distributor.until()).plusSeconds(1),
                DomainError.LockScope.DISTRIBUTOR), refused.error(), "the list says what the guard answers");
    }
}
