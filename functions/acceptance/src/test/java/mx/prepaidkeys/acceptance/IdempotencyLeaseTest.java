package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import mx.prepaidkeys.store.IdempotencyStore;
import mx.prepaidkeys.store.IdempotencyStore.Claim;
import mx.prepaidkeys.store.IdempotencyStore.StoredResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An Idempotency-Key claim whose run outlived its lease (a killed function's, or one whose clock
 * ran behind) is taken over by the retry; the first run, if it still finishes, keeps its own answer
 * instead of failing its caller with a 500 because the record moved on (seen under make load: 4
 * confirms, assigns and voids answered 500 INTERNAL_ERROR).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotencyLeaseTest {
    private final TestStack stack = TestStack.get();
    private final ApplicationContext context = stack.context(stack.newTable()).start();
    private final IdempotencyStore store = context.getBean(IdempotencyStore.class);

    @Test
    void a_run_whose_claim_was_taken_over_after_its_lease_still_answers_and_the_retry_keeps_its_own() {
        Instant start = Instant.now();
        String record = "POST /v1/prepaid-keys/confirm#user#lease-" + start.toEpochMilli();
        // the first run's invocation ended 10 s ago as far as the table knows: its lease is over
        var first = assertInstanceOf(Claim.Acquired.class, store.claim(record, "same-request", start.minusSeconds(30), start.minusSeconds(10)));
        var retry = assertInstanceOf(Claim.Acquired.class, store.claim(record, "same-request", start, start.plusSeconds(15)),
                "the retry takes the key over");

        store.release(record, first.token());
        assertInstanceOf(Claim.InProgress.class, store.claim(record, "same-request", Instant.now(), Instant.now().plusSeconds(15)),
                "the first run, failing late, does not give back the retry's claim");
        assertEquals(false, store.complete(record, first.token(), answer("first")),
                "the first run, finishing late, hears its answer was not stored, and is not failed for it");
        assertEquals(true, store.complete(record, retry.token(), answer("retry")), "the retry's answer is stored");
        var replay = assertInstanceOf(Claim.Replay.class, store.claim(record, "same-request", Instant.now(), Instant.now().plus(Duration.ofSeconds(15))));
        assertEquals("retry", replay.response().body(), "later retries get the answer that was stored");
    }

    private static StoredResponse answer(String body) {
        return new StoredResponse(200, "application/json", Map.of(), body);
    }

    @AfterAll
    void close() {
        context.close();
    }
}
