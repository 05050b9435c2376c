package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.local.DevStack;
import mx.prepaidkeys.local.LocalGateway;
import mx.prepaidkeys.local.runtime.LambdaRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A mint that is cut off (its time budget runs out, its instance dies) never leaves a half batch
 * that a retry duplicates: the same request with the same Idempotency-Key finishes the same batch
 * with the same keys. The mint function runs as deployed, with a short timeout so that a few
 * thousand keys take several calls on the emulator (the emulator counts a cold start's init against
 * the first call's timeout: the function is started first, by a request it refuses).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MintResumeTest {
    private static final int QUANTITY = 5000;
    private final TestStack stack = TestStack.get();
    private final ApiClient admin = stack.newUser(null);
    private final LambdaRuntime lambda = stack.local.runtimeWith("mint", f -> Map.of("AWS_LAMBDA_FUNCTION_TIMEOUT", "5"));
    private final LocalGateway gateway = stack.local.gatewayFor(lambda);

    @Test
    void a_mint_cut_short_by_its_deadline_and_by_a_dead_instance_is_finished_by_its_retries_with_the_same_keys() {
        String body = "{\"productSku\":\"SAE-12M\",\"quantity\":" + QUANTITY + ",\"note\":\"Pedido grande\"}";
        String idempotencyKey = "pedido-" + UUID.randomUUID();
        int warm = 0;
        for (int attempt = 0; attempt < 3 && warm != 400; attempt++) warm = mint("{\"productSku\":\"SAE-12M\",\"quantity\":0}", "warm").status();
        assertEquals(400, warm, "the function starts");
        List<String> seen = new ArrayList<>();

        // 1. the deadline (60% of 5 s: 3 s, where 5,000 keys take about 4 s on a quiet machine) stops it part way: 503, how far it got, the batch it is
        var first = mint(body, idempotencyKey);
        assertEquals(503, first.status(), first.body());
        assertEquals("BATCH_INCOMPLETE", first.code());
        assertEquals("1", first.header("retry-after"));
        String batchId = first.json().path("batchId").asText();
        int written = first.json().path("written").asInt();
        assertTrue(written > 0 && written < QUANTITY, "part of it: " + written);
        seen.add("503 at " + written);

        // 2. the retry goes on, and its instance is killed while it writes: that request gets 502
        var held = CompletableFuture.supplyAsync(() -> mint(body, idempotencyKey));
        awaitWritten(batchId, written + 200);
        lambda.jvms("MintBatchFunction").forEach(ProcessHandle::destroyForcibly);
        var killed = held.join();
        assertEquals(502, killed.status(), killed.body());
        int atKill = written(batchId);
        seen.add("502 at " + atKill);

        // 3. the key is held until the killed run's lease ends, then the retries finish the same batch
        var tooSoon = mint(body, idempotencyKey);
        assertEquals(409, tooSoon.status(), tooSoon.body());
        TestStack.pause(Long.parseLong(tooSoon.header("retry-after")) * 1000 + 300);
        // as a client does: the same request again until it is whole (a busy machine may also cut a call off: 504, then 409)
        ApiClient.Reply reply = null;
        for (int attempt = 0; attempt < 40; attempt++) {
            reply = mint(body, idempotencyKey);
            if (reply.status() == 201) break;
            seen.add(reply.status() + (reply.status() == 503 ? " at " + reply.json().path("written").asInt() : ""));
            if (reply.status() == 409) TestStack.pause(Long.parseLong(reply.header("retry-after")) * 1000 + 300);
        }
        assertEquals(201, reply.status(), reply.body());
        assertEquals(batchId, reply.json().path("batchId").asText(), "the same batch, not a second one: " + seen);
        Set<String> keys = new HashSet<>();
        for (JsonNode key : reply.json().path("keys")) keys.add(PrepaidKeyCode.parse(key.path("key").asText()).formatted());
        assertEquals(QUANTITY, keys.size(), "every key, once");

        var batch = admin.get("/v1/admin/key-batches/" + batchId);
        assertEquals(QUANTITY, batch.json().path("counts").path("ISSUED").asInt(), "the table holds the batch's keys, no more: " + batch.body());
        var replay = mint(body, idempotencyKey);
        assertEquals(reply.body(), replay.body(), "and the answer is kept for the next retry");
        System.out.printf("mint resumed: %d keys, one batch, through %s then 201%n", QUANTITY, seen);
    }

    private ApiClient.Reply mint(String body, String idempotencyKey) {
        return ApiClient.exchange(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/admin/key-batches"))
                .timeout(Duration.ofSeconds(60)).header("authorization", "Bearer " + admin.token()).header("content-type", "application/json")
                .header("idempotency-key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private int written(String batchId) {
        var item = stack.dynamo.getItem(r -> r.tableName(DevStack.TABLE).consistentRead(true)
                .key(Map.of("PK", AttributeValue.fromS("BATCH#" + batchId), "SK", AttributeValue.fromS("BATCH")))).item();
        return item.containsKey("written") ? Integer.parseInt(item.get("written").n()) : 0;
    }

    private void awaitWritten(String batchId, int atLeast) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (written(batchId) < atLeast && System.nanoTime() < deadline) TestStack.pause(20);
        assertTrue(written(batchId) >= atLeast, "the retry writes");
    }

    @AfterAll
    void close() {
        gateway.close();
        lambda.close();
    }
}
