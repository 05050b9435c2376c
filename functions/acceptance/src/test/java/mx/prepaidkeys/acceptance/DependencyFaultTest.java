package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import mx.prepaidkeys.local.LocalGateway;
import mx.prepaidkeys.local.runtime.LambdaRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A dependency that stops answering costs the caller a prompt 503 with Retry-After, never a hang
 * until the function's timeout, and never a stuck Idempotency-Key: the functions run as deployed
 * (their artifacts under the runtime) with DynamoDB reached through a proxy that holds the calls
 * it is told to.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DependencyFaultTest {
    private final TestStack stack = TestStack.get();
    private final ApiClient admin = stack.newUser(null);
    private final ApiClient user = stack.newUser("dist-fault-" + UUID.randomUUID().toString().substring(0, 6));
    private final FaultProxy dynamo;
    private final LambdaRuntime lambda;
    private final LocalGateway gateway;
    private final List<AutoCloseable> opened = new ArrayList<>();

    DependencyFaultTest() throws Exception {
        dynamo = open(new FaultProxy(stack.emulators.dynamoDbEndpoint()));
        // a short function timeout keeps the waits of this test short; the budget scales with it
        lambda = open(stack.local.runtimeWith("faults", f -> Map.of("DYNAMODB_ENDPOINT", dynamo.url(), "AWS_LAMBDA_FUNCTION_TIMEOUT", "8")));
        gateway = open(stack.local.gatewayFor(lambda));
    }

    @Test
    void a_stalled_dynamodb_answers_503_with_retry_after_within_the_budget() {
        assertEquals(200, call("GET", "/v1/prepaid-keys?limit=5", null, null).status(), "warm");
        dynamo.stall("");
        try {
            long started = System.nanoTime();
            var reply = call("GET", "/v1/prepaid-keys?limit=5", null, null);
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(503, reply.status(), reply.body());
            assertEquals("SERVICE_UNAVAILABLE", reply.code());
            assertTrue(reply.header("retry-after") != null, "says when to come back");
            assertTrue(seconds < 0.6 * 8, "answered within 60% of the function's timeout, not at it: " + seconds + " s");
            System.out.printf("stalled DynamoDB: a list answered 503 in %.1f s (function timeout 8 s)%n", seconds);
        } finally {
            dynamo.heal();
        }
    }

    @Test
    void a_confirm_whose_write_stalls_gives_its_idempotency_key_back_and_the_retry_activates_it_once() {
        String key = mint();
        String idempotencyKey = "confirm-" + UUID.randomUUID();
        warmConfirm();
        dynamo.stall("TransactWriteItems");
        ApiClient.Reply stalled;
        try {
            stalled = call("POST", "/v1/prepaid-keys/confirm", GuessingTest.body("confirm", key), idempotencyKey);
        } finally {
            dynamo.heal();
        }
        assertEquals(503, stalled.status(), stalled.body());
        assertEquals("1", stalled.header("retry-after"), "the key was given back: come back at once");

        var retried = call("POST", "/v1/prepaid-keys/confirm", GuessingTest.body("confirm", key), idempotencyKey);
        assertEquals(200, retried.status(), "the same Idempotency-Key works on the retry: " + retried.body());
        String keyId = retried.json().path("keyId").asText();
        stack.awaitEmailsSettled(List.of(keyId), Duration.ofSeconds(30));
        assertEquals(1, stack.emailsAbout(GatewayRaceTest.masked(key)).size(), "activated once, one email");
    }

    @Test
    void when_the_key_cannot_even_be_given_back_the_retry_waits_for_its_lease_and_then_works() {
        String key = mint();
        String idempotencyKey = "confirm-" + UUID.randomUUID();
        warmConfirm();
        dynamo.stall("TransactWriteItems", "DeleteItem");
        ApiClient.Reply stalled;
        try {
            stalled = call("POST", "/v1/prepaid-keys/confirm", GuessingTest.body("confirm", key), idempotencyKey);
        } finally {
            dynamo.heal();
        }
        assertEquals(503, stalled.status(), stalled.body());
        int retryAfter = Integer.parseInt(stalled.header("retry-after"));
        assertTrue(retryAfter > 1 && retryAfter <= 8 + 5, "Retry-After is what is left of the key's lease: " + retryAfter);

        var tooSoon = call("POST", "/v1/prepaid-keys/confirm", GuessingTest.body("confirm", key), idempotencyKey);
        assertEquals(409, tooSoon.status(), tooSoon.body());
        assertEquals("REQUEST_IN_PROGRESS", tooSoon.code());
        assertTrue(tooSoon.header("retry-after") != null, "and says when to come back");

        TestStack.pause(Integer.parseInt(tooSoon.header("retry-after")) * 1000L + 500);
        var retried = call("POST", "/v1/prepaid-keys/confirm", GuessingTest.body("confirm", key), idempotencyKey);
        assertEquals(200, retried.status(), "after the lease the retry runs: " + retried.body());
    }

    /** A confirm refused before any read starts the function: what follows is timed warm (the emulator counts init in). */
    private void warmConfirm() {
        assertEquals(400, call("POST", "/v1/prepaid-keys/confirm", "{\"key\":\"ABCDE\",\"acceptLicense\":true,\"licenseVersion\":\"2026.1\"}",
                null).status(), "warm");
    }

    private String mint() {
        var minted = admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":1}", "idempotency-key", UUID.randomUUID().toString());
        assertEquals(201, minted.status(), minted.body());
        return minted.json().path("keys").get(0).path("key").asText();
    }

    private ApiClient.Reply call(String method, String path, String body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(60)).header("authorization", "Bearer " + user.token())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) request.header("content-type", "application/json");
        if (idempotencyKey != null) request.header("idempotency-key", idempotencyKey);
        return ApiClient.exchange(request.build());
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    @AfterAll
    void close() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) closeable.close();
    }
}
