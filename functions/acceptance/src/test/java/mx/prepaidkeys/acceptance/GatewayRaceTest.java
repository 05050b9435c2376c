package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Double clicks and retries at the same instant, through the local gateway with real tokens: one
 * key confirmed 20 times at once by each of two distributors, and 20 confirms carrying one
 * Idempotency-Key. Each time: one activation, one email.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayRaceTest {
    private static final int PER_SIDE = 20;
    private final TestStack stack = TestStack.get();
    private final ApiClient admin = stack.newUser(null);
    private final ExecutorService pool = Executors.newFixedThreadPool(2 * PER_SIDE);

    @AfterAll
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void two_distributors_confirming_one_key_twenty_times_each_activate_it_once() throws Exception {
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":1}", "idempotency-key", java.util.UUID.randomUUID().toString());
        String key = minted.json().path("keys").get(0).path("key").asText();
        String keyId = minted.json().path("keys").get(0).path("keyId").asText();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        List<ApiClient> norte = List.of(stack.newUser("dist-rn-" + suffix), stack.newUser("dist-rn-" + suffix));
        List<ApiClient> sur = List.of(stack.newUser("dist-rs-" + suffix), stack.newUser("dist-rs-" + suffix));
        List<ApiClient> callers = new ArrayList<>();
        for (int i = 0; i < PER_SIDE; i++) {
            callers.add(norte.get(i % 2));
            callers.add(sur.get(i % 2));
        }

        List<ApiClient.Reply> replies = all(callers, user -> user.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", key)));

        Map<Integer, Integer> statuses = count(replies);
        assertEquals(Map.of(200, PER_SIDE, 422, PER_SIDE), statuses, "one side wins all its requests, the other none");
        Set<JsonNode> winners = new HashSet<>();
        for (var reply : replies) if (reply.status() == 200) winners.add(reply.withoutRequestId());
        assertEquals(1, winners.size(), "the winners' users all get the same answer");
        assertEquals(1, activations(keyId), "one activation in the key's history");
        stack.awaitEmailsSettled(List.of(keyId), Duration.ofSeconds(30));
        assertEquals(1, stack.emailsAbout(masked(key)).size(), "one confirmation email");
        System.out.printf("race through the gateway: 2 distributors x %d concurrent confirms: %s; 1 activation, 1 email%n", PER_SIDE, statuses);
    }

    @Test
    void twenty_concurrent_confirms_with_one_idempotency_key_activate_once_and_replay_one_answer() throws Exception {
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":1}", "idempotency-key", java.util.UUID.randomUUID().toString());
        String key = minted.json().path("keys").get(0).path("key").asText();
        String keyId = minted.json().path("keys").get(0).path("keyId").asText();
        ApiClient user = stack.newUser("dist-ri-" + UUID.randomUUID().toString().substring(0, 6));
        String idempotencyKey = "confirm-" + UUID.randomUUID();

        List<ApiClient> callers = new ArrayList<>();
        for (int i = 0; i < PER_SIDE; i++) callers.add(user);
        List<ApiClient.Reply> replies = all(callers,
                caller -> caller.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", key), "idempotency-key", idempotencyKey));

        Map<Integer, Integer> statuses = count(replies);
        assertEquals(Set.of(), new HashSet<>(statuses.keySet()).stream().filter(s -> s != 200 && s != 409).collect(java.util.stream.Collectors.toSet()),
                "200 (the first and its replays) or 409 while the first runs: " + statuses);
        for (var reply : replies) {
            if (reply.status() == 409) {
                assertEquals("REQUEST_IN_PROGRESS", reply.code());
                assertEquals("1", reply.header("retry-after"));
            }
        }
        assertEquals(1, activations(keyId));
        var retry = user.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", key), "idempotency-key", idempotencyKey);
        assertEquals(200, retry.status());
        assertEquals("true", retry.header("idempotent-replayed"));
        Set<String> bodies = new HashSet<>();
        for (var reply : replies) if (reply.status() == 200) bodies.add(reply.body());
        bodies.add(retry.body());
        assertEquals(1, bodies.size(), "every 200 is the first answer, byte for byte");

        var other = user.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", PrepaidKeyCodes.fresh()), "idempotency-key", idempotencyKey);
        assertEquals(422, other.status());
        assertEquals("IDEMPOTENCY_KEY_REUSED", other.code());
        stack.awaitEmailsSettled(List.of(keyId), Duration.ofSeconds(30));
        assertEquals(1, stack.emailsAbout(masked(key)).size(), "one confirmation email");
        System.out.printf("race through the gateway: %d concurrent confirms with one Idempotency-Key: %s; 1 activation, 1 email%n",
                PER_SIDE, statuses);
    }

    private List<ApiClient.Reply> all(List<ApiClient> callers, Function<ApiClient, ApiClient.Reply> call) throws Exception {
        CyclicBarrier start = new CyclicBarrier(callers.size());
        List<Future<ApiClient.Reply>> futures = new ArrayList<>();
        for (ApiClient caller : callers) {
            futures.add(pool.submit(() -> {
                start.await();
                return call.apply(caller);
            }));
        }
        List<ApiClient.Reply> replies = new ArrayList<>();
        for (var future : futures) replies.add(future.get());
        return replies;
    }

    private int activations(String keyId) {
        var key = admin.get("/v1/admin/prepaid-keys/" + keyId);
        assertEquals(200, key.status(), key.body());
        int activated = 0;
        for (JsonNode event : key.json().path("history")) if (event.path("type").asText().equals("ACTIVATED")) activated++;
        return activated;
    }

    private static Map<Integer, Integer> count(List<ApiClient.Reply> replies) {
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (var reply : replies) statuses.merge(reply.status(), 1, Integer::sum);
        return statuses;
    }

    static String masked(String key) {
        return key.substring(key.length() - 5);
    }
}
