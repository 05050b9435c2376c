package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mx.prepaidkeys.activation.AttemptGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Key guessing through the local gateway: every way a key cannot be redeemed (unknown, void,
 * expired, another distributor's) gets one identical answer and counts as a failed attempt; a typo
 * the check character catches costs nothing; 10 failures lock the user out, 50 the distributor, for
 * captures and confirms alike, even of a valid key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuessingTest {
    private final TestStack stack = TestStack.get();
    private final ApiClient admin = stack.newUser(null);

    @Test
    void ten_failed_guesses_lock_the_user_out_even_for_a_valid_key_and_typos_cost_nothing() {
        String distributor = "dist-g-" + UUID.randomUUID().toString().substring(0, 6);
        ApiClient guesser = stack.newUser(distributor);
        ApiClient colleague = stack.newUser(distributor);
        Map<String, List<String>> unredeemable = unredeemableKeys(2);
        String valid = mint(1).getFirst();

        for (int i = 0; i < 20; i++) {
            String typo = flipLast(PrepaidKeyCodes.fresh());
            var answer = guesser.post("/v1/prepaid-keys/capture", "{\"key\":\"" + typo + "\"}");
            assertEquals(400, answer.status(), answer.body());
            assertEquals("KEY_FORMAT_INVALID", answer.code());
        }

        Set<JsonNode> answers = new HashSet<>();
        int failures = 0;
        List<String> kinds = List.of("unknown", "void", "expired", "foreign");
        outer:
        for (String route : List.of("capture", "confirm")) {
            for (String kind : kinds) {
                for (String key : unredeemable.get(kind)) {
                    if (failures == AttemptGuard.USER_LIMIT) break outer;
                    var answer = guesser.post("/v1/prepaid-keys/" + route, body(route, key));
                    assertEquals(422, answer.status(), kind + ": " + answer.body());
                    answers.add(answer.withoutRequestId().deepCopy());
                    failures++;
                }
            }
        }
        assertEquals(1, answers.size(), "one answer for every unredeemable key, on both routes: " + answers);

        var locked = guesser.post("/v1/prepaid-keys/capture", body("capture", valid));
        assertEquals(429, locked.status(), locked.body());
        assertEquals("TOO_MANY_ATTEMPTS", locked.code());
        int retryAfter = Integer.parseInt(locked.header("retry-after"));
        assertTrue(retryAfter > 800 && retryAfter <= 901, "waits out the 15-minute window: " + retryAfter);
        assertEquals(retryAfter, locked.json().path("retryAfter").asInt());
        assertEquals(429, guesser.post("/v1/prepaid-keys/confirm", body("confirm", valid)).status(), "confirms too");
        var typo = guesser.post("/v1/prepaid-keys/capture", "{\"key\":\"" + flipLast(valid) + "\"}");
        assertEquals(400, typo.status(), "a typo is still just a typo");

        assertEquals(200, colleague.post("/v1/prepaid-keys/capture", body("capture", valid)).status(),
                "a colleague is not locked out by 10 failures");
        System.out.printf("guessing: 20 typos answered 400 without counting; %d unredeemable keys (unknown, void, expired, foreign) "
                + "on capture and confirm answered one identical 422; attempt %d answered 429, Retry-After %d s%n", failures, failures + 1, retryAfter);
    }

    /**
     * The attempt limit under a concurrent burst: 64 captures of unknown keys (valid check
     * characters) by one fresh user, released together behind a barrier. The limit is reserved
     * before the key is looked up, so at most 10 are evaluated; the rest are refused with 429 and
     * Retry-After; and a colleague of the same distributor is not locked out by it.
     */
    @Test
    void a_burst_of_64_simultaneous_guesses_gets_at_most_10_evaluated_and_locks_only_that_user() throws Exception {
        String distributor = "dist-b-" + UUID.randomUUID().toString().substring(0, 6);
        ApiClient guesser = stack.newUser(distributor);
        ApiClient colleague = stack.newUser(distributor);
        String valid = mint(1).getFirst();
        int burst = 64;
        List<String> guesses = new ArrayList<>();
        for (int i = 0; i < burst; i++) guesses.add(PrepaidKeyCodes.fresh());

        ExecutorService pool = Executors.newFixedThreadPool(burst);
        List<ApiClient.Reply> replies = new ArrayList<>();
        try {
            CyclicBarrier start = new CyclicBarrier(burst);
            List<Future<ApiClient.Reply>> futures = new ArrayList<>();
            for (String guess : guesses) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return guesser.post("/v1/prepaid-keys/capture", body("capture", guess));
                }));
            }
            for (var future : futures) replies.add(future.get(120, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        replies.forEach(reply -> statuses.merge(reply.status(), 1, Integer::sum));
        int evaluated = statuses.getOrDefault(422, 0);
        int refused = statuses.getOrDefault(429, 0);
        System.out.printf("guessing burst: sent %d simultaneous captures of unknown keys by one user: evaluated %d (422), refused %d (429); "
                + "statuses %s%n", burst, evaluated, refused, statuses);

        assertTrue(evaluated >= 1 && evaluated <= AttemptGuard.USER_LIMIT, "at most " + AttemptGuard.USER_LIMIT + " evaluated: " + statuses);
        assertEquals(burst, evaluated + refused, "every other one refused: " + statuses);
        for (var reply : replies) {
            if (reply.status() != 429) continue;
            assertEquals("TOO_MANY_ATTEMPTS", reply.code());
            int retryAfter = Integer.parseInt(reply.header("retry-after"));
            assertTrue(retryAfter >= 1 && retryAfter <= 901, "Retry-After within the window: " + retryAfter);
        }
        assertEquals(429, guesser.post("/v1/prepaid-keys/capture", body("capture", valid)).status(), "the guesser is locked out");

        var first = colleague.post("/v1/prepaid-keys/capture", body("capture", PrepaidKeyCodes.fresh()));
        assertEquals(422, first.status(), "a colleague's first guess is evaluated, not refused: " + first.body());
        assertEquals(200, colleague.post("/v1/prepaid-keys/capture", body("capture", valid)).status(), "and a colleague goes on working");
    }

    @Test
    void fifty_failures_across_a_distributor_lock_out_all_its_users() {
        String distributor = "dist-g-" + UUID.randomUUID().toString().substring(0, 6);
        String valid = mint(1).getFirst();
        int failures = 0;
        List<ApiClient> users = new ArrayList<>();
        while (failures < AttemptGuard.DISTRIBUTOR_LIMIT) {
            ApiClient user = stack.newUser(distributor);
            users.add(user);
            for (int i = 0; i < AttemptGuard.USER_LIMIT - 1 && failures < AttemptGuard.DISTRIBUTOR_LIMIT; i++, failures++) {
                var answer = user.post("/v1/prepaid-keys/capture", body("capture", PrepaidKeyCodes.fresh()));
                assertEquals(422, answer.status(), "failure " + (failures + 1) + ": " + answer.body());
            }
        }
        ApiClient newcomer = stack.newUser(distributor);
        var locked = newcomer.post("/v1/prepaid-keys/capture", body("capture", valid));
        assertEquals(429, locked.status(), "a user with no failure of their own, in a locked-out distributor");
        assertNotNull(locked.header("retry-after"));
        assertEquals(200, stack.newUser("dist-g-other-" + UUID.randomUUID().toString().substring(0, 6))
                .post("/v1/prepaid-keys/capture", body("capture", valid)).status(), "other distributors go on");
        System.out.printf("guessing: %d failures by %d users (none at their own limit) locked out distributor %s%n",
                failures, users.size(), distributor);
    }

    @Test
    void answer_times_of_unknown_void_expired_and_foreign_keys() {
        // Figures, not an assertion: these machines are shared and noisy. Each kind is one GetItem and
        // one failure appended; the medians show whether a kind stands out.
        Map<String, List<String>> keys = unredeemableKeys(16);
        Map<String, List<Long>> micros = new LinkedHashMap<>();
        ApiClient user = null;
        int used = 0;
        for (int round = 0; round < 16; round++) {
            for (String kind : keys.keySet()) {
                // a new user of a new distributor every 9 failures: nobody gets locked out while timing
                if (used % (AttemptGuard.USER_LIMIT - 1) == 0) user = stack.newUser("dist-t-" + UUID.randomUUID().toString().substring(0, 6));
                long started = System.nanoTime();
                var answer = user.post("/v1/prepaid-keys/capture", body("capture", keys.get(kind).get(round)));
                long took = (System.nanoTime() - started) / 1_000;
                assertEquals(422, answer.status(), kind + ": " + answer.body());
                if (round >= 2) micros.computeIfAbsent(kind, k -> new ArrayList<>()).add(took); // the first rounds warm up
                used++;
            }
        }
        StringBuilder line = new StringBuilder("guessing: median answer time over 14 captures each:");
        micros.forEach((kind, times) -> line.append(String.format(" %s %.2f ms;", kind, median(times) / 1000.0)));
        System.out.println(line);
    }

    /** Keys that cannot be redeemed by a new distributor, {@code each} of every kind. */
    private Map<String, List<String>> unredeemableKeys(int each) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < each; i++) unknown.add(PrepaidKeyCodes.fresh());
        keys.put("unknown", unknown);

        var voidBatch = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":" + each + "}", "idempotency-key", java.util.UUID.randomUUID().toString());
        assertEquals(201, voidBatch.status(), voidBatch.body());
        assertEquals(200, admin.post("/v1/admin/key-batches/" + voidBatch.json().path("batchId").asText() + "/void",
                "{\"reason\":\"Prueba de adivinanza\"}").status());
        keys.put("void", voidBatch.json().path("keys").findValuesAsText("key"));

        Instant soon = Instant.now().plusSeconds(2);
        var expiring = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":" + each
                + ",\"expiresAt\":\"" + soon + "\"}", "idempotency-key", java.util.UUID.randomUUID().toString());
        assertEquals(201, expiring.status(), expiring.body());
        keys.put("expired", expiring.json().path("keys").findValuesAsText("key"));

        ApiClient owner = stack.newUser("dist-owner-" + UUID.randomUUID().toString().substring(0, 6));
        List<String> foreign = mint(each);
        for (String key : foreign) assertEquals(200, owner.post("/v1/prepaid-keys/confirm", body("confirm", key)).status());
        keys.put("foreign", foreign);

        long wait = soon.toEpochMilli() - System.currentTimeMillis() + 100;
        if (wait > 0) sleep(wait);
        return keys;
    }

    private List<String> mint(int quantity) {
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":" + quantity + "}", "idempotency-key", java.util.UUID.randomUUID().toString());
        assertEquals(201, minted.status(), minted.body());
        return minted.json().path("keys").findValuesAsText("key");
    }

    static String body(String route, String key) {
        return route.equals("capture") ? "{\"key\":\"" + key + "\"}"
                : "{\"key\":\"" + key + "\",\"acceptLicense\":true,\"licenseVersion\":\"2026.1\"}";
    }

    /** The key with its check character changed: a typo the format catches. */
    static String flipLast(String key) {
        char last = key.charAt(key.length() - 1);
        return key.substring(0, key.length() - 1) + (last == '0' ? '1' : '0');
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
