package mx.prepaidkeys.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.FailedAttempts;
import mx.prepaidkeys.domain.UserId;
import mx.prepaidkeys.log.JsonLog;
import mx.prepaidkeys.log.Metrics;
import org.junit.jupiter.api.Test;

/** The attempt limit as a use case: slots taken before a look-up, kept on failure, given back otherwise. */
class AttemptGuardTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T19:00:00Z"));
    private final InMemoryFailedAttempts store = new InMemoryFailedAttempts();
    private final AttemptGuard guard = new AttemptGuard(store, clock);

    @Test
    void a_burst_of_64_simultaneous_guesses_gets_10_look_ups_and_64_answers() throws Exception {
        DistributorUser guesser = user("guesser", "dist-1");
        AtomicInteger lookUps = new AtomicInteger();
        int burst = 64;
        ExecutorService pool = Executors.newFixedThreadPool(burst);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            outcomes.add(pool.submit(() -> {
                start.await();
                try {
                    return guard.attempt(guesser, () -> {
                        lookUps.incrementAndGet();
                        throw new DomainException(new DomainError.KeyNotRedeemable());
                    });
                } catch (DomainException e) {
                    return e.error().getClass().getSimpleName();
                }
            }));
        }
        start.countDown();
        int notRedeemable = 0;
        int tooMany = 0;
        for (var outcome : outcomes) {
            String error = outcome.get(30, TimeUnit.SECONDS);
            if (error.equals("KeyNotRedeemable")) notRedeemable++;
            if (error.equals("TooManyAttempts")) tooMany++;
        }
        pool.shutdownNow();
        assertEquals(AttemptGuard.USER_LIMIT, lookUps.get(), "exactly the limit looked up");
        assertEquals(AttemptGuard.USER_LIMIT, notRedeemable);
        assertEquals(burst - AttemptGuard.USER_LIMIT, tooMany);
        assertEquals(AttemptGuard.USER_LIMIT, store.taken(guesser.sub()), "the failures keep their slots");
        assertEquals(AttemptGuard.USER_LIMIT, guard.attempt(user("colleague", "dist-1"), () -> AttemptGuard.USER_LIMIT),
                "a colleague is not locked out");
    }

    @Test
    void ten_concurrent_attempts_all_get_a_slot() throws Exception {
        DistributorUser user = user("busy", "dist-2");
        ExecutorService pool = Executors.newFixedThreadPool(AttemptGuard.USER_LIMIT);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<AttemptGuard.Attempt>> attempts = new ArrayList<>();
        for (int i = 0; i < AttemptGuard.USER_LIMIT; i++) {
            attempts.add(pool.submit(() -> {
                start.await();
                return guard.reserve(user);
            }));
        }
        start.countDown();
        for (var attempt : attempts) attempt.get(30, TimeUnit.SECONDS);
        pool.shutdownNow();
        assertEquals(AttemptGuard.USER_LIMIT, store.taken(user.sub()), "a race for the last free slots is retried, not refused");
    }

    @Test
    void successful_look_ups_give_their_slot_back() {
        DistributorUser user = user("bulk", "dist-3");
        for (int i = 0; i < 100; i++) {
            int n = i;
            assertEquals(n, guard.attempt(user, () -> n).intValue());
        }
        assertEquals(0, store.taken(user.sub()));
        // any refusal but "not redeemable" gives it back too, and so does a fault
        assertThrows(DomainException.class, () -> guard.attempt(user, () -> {
            throw new DomainException(new DomainError.LicenseVersionOutdated("2"));
        }));
        assertThrows(IllegalStateException.class, () -> guard.attempt(user, () -> {
            throw new IllegalStateException("DynamoDB timed out");
        }));
        assertEquals(0, store.taken(user.sub()));
    }

    @Test
    void ten_failures_lock_the_user_until_the_oldest_leaves_the_window() {
        DistributorUser user = user("guesser", "dist-4");
        for (int i = 0; i < AttemptGuard.USER_LIMIT; i++) {
            fail(user);
            clock.advance(Duration.ofSeconds(10));
        }
        DomainException locked = assertThrows(DomainException.class, () -> guard.attempt(user, () -> "valid key"));
        var tooMany = assertInstanceOf(DomainError.TooManyAttempts.class, locked.error());
        assertEquals(DomainError.LockScope.USER, tooMany.scope());
        // the first failure was 100 s ago: it leaves the 15-minute window in 800 s (+1 s rounding up)
        assertEquals(801, tooMany.retryAfter().toSeconds());
        clock.advance(Duration.ofSeconds(800));
        assertEquals("valid key", guard.attempt(user, () -> "valid key"), "one slot free again");
        fail(user);
        assertThrows(DomainException.class, () -> guard.attempt(user, () -> "valid key"));
    }

    @Test
    void ops_see_a_guessers_failed_attempts_and_lockouts_in_the_metrics() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Metrics.flush(); // nothing an earlier test of this thread left behind
        JsonLog.redirect(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            DistributorUser user = user("guesser", "dist-9");
            for (int i = 0; i < AttemptGuard.USER_LIMIT; i++) fail(user);
            assertThrows(DomainException.class, () -> guard.attempt(user, () -> "valid key"));
            assertThrows(DomainException.class, () -> guard.attempt(user, () -> "valid key"));
            Metrics.flush();
        } finally {
            JsonLog.redirect(System.out);
        }
        String line = out.toString(java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"_aws\"")).findFirst().orElseThrow();
        assertTrue(line.contains("\"FailedAttempts\":10.0") && line.contains("\"Lockouts\":2.0"), line);
    }

    @Test
    void fifty_failures_by_five_users_lock_the_distributor_but_no_one_user_can() {
        DistributorUser newcomer = user("newcomer", "dist-5");
        for (int u = 0; u < 4; u++) {
            for (int i = 0; i < AttemptGuard.USER_LIMIT; i++) fail(user("u" + u, "dist-5"));
        }
        assertEquals("ok", guard.attempt(newcomer, () -> "ok"), "40 failures by 4 users: not locked");
        // one user's share counts 10, however many of their failures the log holds
        for (int i = 0; i < 40; i++) store.recordDistributorFailure(new DistributorId("dist-5"), new UserId("u0"), clock.instant());
        assertEquals("ok", guard.attempt(newcomer, () -> "ok"), "still 40 counted");
        for (int i = 0; i < AttemptGuard.USER_LIMIT; i++) fail(user("u4", "dist-5"));
        DomainException locked = assertThrows(DomainException.class, () -> guard.attempt(newcomer, () -> "ok"));
        assertEquals(DomainError.LockScope.DISTRIBUTOR, assertInstanceOf(DomainError.TooManyAttempts.class, locked.error()).scope(),
                "the newcomer failed nothing: the lock is the distributor's");
        assertEquals("ok", guard.attempt(user("other", "dist-6"), () -> "ok"), "other distributors go on");
        clock.advance(AttemptGuard.WINDOW);
        assertEquals("ok", guard.attempt(newcomer, () -> "ok"), "until the window has passed");
    }

    @Test
    void each_failure_says_how_many_attempts_are_left_before_the_lock() {
        DistributorUser user = user("counting", "dist-7");
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < AttemptGuard.USER_LIMIT; i++) left.add(failAndCount(user));
        assertEquals(List.of(9, 8, 7, 6, 5, 4, 3, 2, 1, 0), left);
        assertThrows(DomainException.class, () -> guard.attempt(user, () -> "valid key"), "no attempt left");
    }

    @Test
    void attempts_left_count_the_distributors_brake_too() {
        for (int u = 0; u < 4; u++) {
            for (int i = 0; i < AttemptGuard.USER_LIMIT; i++) fail(user("v" + u, "dist-8"));
        }
        for (int i = 0; i < 5; i++) fail(user("v4", "dist-8"));
        // 45 failures counted: the distributor locks at 50, long before this user's own 10 are spent
        DistributorUser newcomer = user("v5", "dist-8");
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < 5; i++) left.add(failAndCount(newcomer));
        assertEquals(List.of(4, 3, 2, 1, 0), left);
        var locked = assertThrows(DomainException.class, () -> guard.attempt(user("v6", "dist-8"), () -> "ok"));
        assertEquals(DomainError.LockScope.DISTRIBUTOR, assertInstanceOf(DomainError.TooManyAttempts.class, locked.error()).scope());
    }

    @Test
    void the_distributor_lock_lasts_until_enough_failures_left_the_window() {
        Instant start = clock.instant();
        List<FailedAttempts.Failure> failures = new ArrayList<>();
        for (int u = 0; u < 5; u++) {
            for (int i = 0; i < 10; i++) failures.add(new FailedAttempts.Failure(start.plusSeconds(u * 10L + i), new UserId("u" + u)));
        }
        Instant now = start.plusSeconds(60);
        // the oldest failure leaving the window brings the count to 49
        assertEquals(start.plus(AttemptGuard.WINDOW), AttemptGuard.distributorLockedUntil(failures, now));
        failures.add(new FailedAttempts.Failure(start.plusSeconds(5), new UserId("u5")));
        assertEquals(start.plusSeconds(1).plus(AttemptGuard.WINDOW), AttemptGuard.distributorLockedUntil(failures, now));
        assertEquals(null, AttemptGuard.distributorLockedUntil(failures.subList(0, 49), now));
    }

    @Test
    void attempts_that_keep_losing_the_race_for_a_slot_are_refused_not_retried_forever() {
        FailedAttempts contended = new FailedAttempts() {
            @Override
            public Snapshot read(UserId userSub, DistributorId distributorId) {
                return new Snapshot(java.util.Map.of(), List.of());
            }

            @Override
            public boolean claim(UserId userSub, int index, Slot expected, Slot claimed) {
                return false;
            }

            @Override
            public void free(UserId userSub, int index, Slot claimed) {}

            @Override
            public void recordDistributorFailure(DistributorId distributorId, UserId userSub, Instant at) {}

            @Override
            public void markUserLocked(UserId userSub, String username, DistributorId distributorId, Instant until) {}

            @Override
            public void markDistributorLocked(DistributorId distributorId, Instant until) {}

            @Override
            public List<Marked> markedAfter(Instant now) {
                return List.of();
            }

            @Override
            public java.util.Map<Integer, Slot> userSlots(UserId userSub) {
                return java.util.Map.of();
            }

            @Override
            public void freeAll(UserId userSub) {}
        };
        DomainException refused = assertThrows(DomainException.class,
                () -> new AttemptGuard(contended, clock).attempt(user("x", "d"), () -> "never"));
        var tooMany = assertInstanceOf(DomainError.TooManyAttempts.class, refused.error());
        assertTrue(tooMany.retryAfter().toSeconds() >= 1);
    }

    private void fail(DistributorUser user) {
        assertThrows(DomainException.class, () -> guard.attempt(user, () -> {
            throw new DomainException(new DomainError.KeyNotRedeemable());
        }));
    }

    private int failAndCount(DistributorUser user) {
        DomainException failed = assertThrows(DomainException.class, () -> guard.attempt(user, () -> {
            throw new DomainException(new DomainError.KeyNotRedeemable());
        }));
        return assertInstanceOf(DomainError.KeyNotRedeemable.class, failed.error()).attemptsLeft();
    }

    private static DistributorUser user(String sub, String distributorId) {
        return new DistributorUser(new UserId(sub), sub, sub + "@example.com", true, null, new DistributorId(distributorId), "es-MX");
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
