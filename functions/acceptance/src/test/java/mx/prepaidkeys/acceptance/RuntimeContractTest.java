package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import mx.prepaidkeys.local.Emulators;
import mx.prepaidkeys.local.LocalGateway;
import mx.prepaidkeys.local.SamTemplate;
import mx.prepaidkeys.local.runtime.Invocation;
import mx.prepaidkeys.local.runtime.Invocation.Outcome;
import mx.prepaidkeys.local.runtime.LambdaRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Every function as it is deployed: its {@code sam build} artifact, under the Lambda Runtime
 * Interface Emulator and the Java runtime interface client, with the Handler, memory, timeout and
 * environment of template.yaml, answers every sample event of {@code events/} with the status the
 * sample implies, against the freshly seeded local stack. Then what Lambda does when a function
 * gives no answer: a missing setting fails the init, a request past the timeout is cut off, a dead
 * instance is replaced, an event the runtime cannot read is an error, never a hang.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuntimeContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Emulators.repositoryRoot();
    /**
     * What each sample implies on the seeded stack, in an order where each holds (the confirm
     * activates the sample key, the voids come last). A new sample without a line here fails.
     */
    private static final Map<String, Integer> EXPECTED = expected(
            "capture-ok.json", 200, "capture-lowercase.json", 200, "capture-typo.json", 400,
            "confirm-without-license.json", 400, "confirm-ok.json", 200,
            "list.json", 200, "list-available.json", 200, "history.json", 200,
            "assign-rfc-check-digit.json", 400, "assign-ok.json", 200,
            "clients.json", 200, "clients-search.json", 200, "client-get.json", 200, "client-save.json", 200, "client-keys.json", 200,
            "reassign-ok.json", 200,
            "admin-products.json", 200, "admin-product-save.json", 201, "admin-batch-mint.json", 201, "admin-batch-get.json", 200,
            "admin-key.json", 200, "admin-key-resend-email.json", 202,
            "admin-keys-find.json", 200, "admin-batches.json", 200, "admin-key-void.json", 200, "admin-batch-void.json", 200,
            "admin-distributors.json", 200, "admin-distributor.json", 200, "admin-distributor-save.json", 201, "account.json", 200,
            "admin-lockouts.json", 200, "admin-distributor-users.json", 200, "admin-audit.json", 200, "admin-lockout-lift-none.json", 404,
            "admin-report-activations.json", 200,
            "notifier-email-owed.json", 0, "notifier-nothing-owed.json", 0,
            // the held key's activation as the stream delivers it (the seed's was counted: a redelivery), then its assignment
            "report-tally-activated.json", 0, "report-tally-assigned.json", 0);

    private final TestStack stack = TestStack.get();
    private final SamTemplate template = SamTemplate.load(ROOT.resolve("template.yaml"));
    private final List<String> answeredBy = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> staged = new ArrayList<>();
    private ApiClient user;

    @TestFactory
    Stream<DynamicTest> every_function_answers_every_sample_event_from_its_built_artifact() throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> events = Files.list(ROOT.resolve("events"))) {
            events.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).forEach(files::add);
        }
        assertEquals(files, new TreeSet<>(EXPECTED.keySet()), "every sample event says what it implies here, and only those");
        LambdaRuntime lambda = stack.local.lambda();
        List<DynamicTest> tests = new ArrayList<>();
        EXPECTED.forEach((file, status) -> tests.add(DynamicTest.dynamicTest(file, () -> {
            byte[] event = Files.readAllBytes(ROOT.resolve("events").resolve(file));
            String function = functionFor(file, JSON.readTree(event));
            Invocation invocation = lambda.invoke(function, event);
            assertEquals(Outcome.ANSWERED, invocation.outcome(), file + " -> " + function + ": " + invocation.payloadText());
            JsonNode answer = JSON.readTree(invocation.payload());
            assertFalse(answer.has("errorMessage"), file + ": " + answer);
            if (status == 0) {
                assertTrue(answer.path("batchItemFailures").isArray() && answer.path("batchItemFailures").isEmpty(), file + ": " + answer);
            } else {
                assertEquals(status.intValue(), answer.path("statusCode").asInt(), file + " -> " + function + ": " + answer);
            }
            assertTrue(invocation.report().maxMemoryMb() > 0, "the REPORT line has the instance's memory: " + invocation.report().line());
            answeredBy.add(function);
        })));
        tests.add(DynamicTest.dynamicTest("all functions answered", () -> {
            Set<String> all = new TreeSet<>(template.functions().stream().map(SamTemplate.Function::logicalId).toList());
            assertEquals(all, new TreeSet<>(answeredBy), "every function of the template answered a sample");
            System.out.printf("runtime contract: %d sample events answered by %d functions from their sam build artifacts, "
                    + "under aws-lambda-rie and the Java runtime interface client; resident memory of the warm functions: %d MB%n",
                    EXPECTED.size(), all.size(), lambda.residentMb());
        }));
        return tests.stream();
    }

    @Test
    void a_function_without_a_required_setting_fails_its_init_and_the_gateway_answers_502_problem_json() throws Exception {
        LambdaRuntime broken = staged(stack.local.runtimeWith("no-pepper", f -> Map.of("KEY_PEPPER", "")));
        LocalGateway gateway = staged(stack.local.gatewayFor(broken));
        List<String> log = new CopyOnWriteArrayList<>();
        broken.listen(line -> log.add(line.line()));

        var reply = call(gateway, "POST", "/v1/prepaid-keys/capture", "{\"key\":\"" + PrepaidKeyCodes.fresh() + "\"}");

        assertEquals(502, reply.status(), reply.body());
        assertEquals("application/problem+json; charset=utf-8", reply.header("content-type"));
        assertEquals("FUNCTION_ERROR", reply.code());
        assertNotNull(reply.json().path("requestId").asText(null));
        assertEquals(reply.json().path("requestId").asText(), reply.header("apigw-requestid"));
        assertTrue(log.stream().anyMatch(line -> line.contains("KEY_PEPPER is not set")), "the function's log says which setting: " + log);
        assertEquals(0, broken.instances("CaptureFunction"), "an instance that failed its init is not kept");
    }

    @Test
    void a_request_past_the_timeout_is_cut_off_with_504_and_its_instance_replaced() throws Exception {
        try (BlackHole dynamo = new BlackHole()) {
            // A DynamoDB that accepts connections and never answers, and a timeout of a few seconds (kept from the end of the
            // init, as Lambda keeps it).
            // (and an AWS call budget past it: the function itself would answer 503 first, DependencyFaultTest's case)
            LambdaRuntime stalled = staged(stack.local.runtimeWith("stalled", f -> Map.of("DYNAMODB_ENDPOINT", dynamo.url(),
                    "AWS_LAMBDA_FUNCTION_TIMEOUT", "6", "SDK_ATTEMPT_TIMEOUT_MS", "60000", "SDK_CALL_TIMEOUT_MS", "60000")));
            LocalGateway gateway = staged(stack.local.gatewayFor(stalled));
            assertEquals(400, call(gateway, "POST", "/v1/prepaid-keys/capture", "{\"key\":\"ABCDE\"}").status());
            long started = System.nanoTime();

            var reply = call(gateway, "POST", "/v1/prepaid-keys/capture", "{\"key\":\"" + PrepaidKeyCodes.fresh() + "\"}");

            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(504, reply.status(), reply.body());
            assertEquals("FUNCTION_TIMEOUT", reply.code());
            assertTrue(seconds >= 5.9 && seconds < 10, "cut off at the function's timeout, not before, not left hanging: " + seconds + " s");
            assertEquals(0, stalled.instances("CaptureFunction"), "a timed-out instance is not reused");
            var next = call(gateway, "POST", "/v1/prepaid-keys/capture", "{\"key\":\"ABCDE\"}");
            assertEquals(400, next.status(), "a new instance serves the next request: " + next.body());
            System.out.printf("runtime faults: a stalled dependency answered 504 after %.1f s (timeout 6 s)%n", seconds);
        }
    }

    @Test
    void an_instance_that_dies_is_replaced_and_a_request_it_held_gets_502() throws Exception {
        try (BlackHole dynamo = new BlackHole()) {
            LambdaRuntime runtime = staged(stack.local.runtimeWith("crash", f -> Map.of("DYNAMODB_ENDPOINT", dynamo.url(),
                    "SDK_ATTEMPT_TIMEOUT_MS", "60000", "SDK_CALL_TIMEOUT_MS", "60000")));
            LocalGateway gateway = staged(stack.local.gatewayFor(runtime));
            assertEquals(400, call(gateway, "POST", "/v1/prepaid-keys/capture", "{\"key\":\"ABCDE\"}").status());

            // Killed while idle: Lambda replaces it; the next request does not notice beyond a cold start.
            assertTrue(runtime.crashOneInstance("CaptureFunction"));
            assertEquals(400, call(gateway, "POST", "/v1/prepaid-keys/capture", "{\"key\":\"ABCDE\"}").status());

            // Killed while it holds a request (stuck on the stalled DynamoDB): that request fails fast, 502.
            var held = CompletableFuture.supplyAsync(() -> call(gateway, "POST", "/v1/prepaid-keys/capture",
                    "{\"key\":\"" + PrepaidKeyCodes.fresh() + "\"}"));
            dynamo.awaitConnection(Duration.ofSeconds(20));
            runtime.jvms("CaptureFunction").forEach(ProcessHandle::destroyForcibly);
            var reply = held.get();
            assertEquals(502, reply.status(), reply.body());
            assertEquals("FUNCTION_ERROR", reply.code());
            assertEquals(400, call(gateway, "POST", "/v1/prepaid-keys/capture", "{\"key\":\"ABCDE\"}").status(), "and is replaced");
        }
    }

    @Test
    void an_event_the_runtime_cannot_read_is_an_error_answer_not_a_hang() {
        LambdaRuntime lambda = stack.local.lambda();
        Invocation invocation = lambda.invoke("CaptureFunction", "{\"version\":[\"2.0\"],\"headers\":7}".getBytes(StandardCharsets.UTF_8));
        assertEquals(Outcome.FUNCTION_ERROR, invocation.outcome(), invocation.payloadText());
        assertTrue(invocation.payloadText().contains("errorType"), invocation.payloadText());
        Invocation next = lambda.invoke("ListProductsFunction", bytes("events/admin-products.json"));
        assertEquals(Outcome.ANSWERED, next.outcome(), "the runtime goes on serving");
    }

    @AfterAll
    void stopStaged() throws Exception {
        for (AutoCloseable closeable : staged.reversed()) closeable.close();
    }

    private <T extends AutoCloseable> T staged(T closeable) {
        staged.add(closeable);
        return closeable;
    }

    /** The function a sample is for: its route's, or the one on the table's stream. */
    /** A route's sample by its routeKey; a stream sample by its name: notifier-*.json for NotifierFunction, report-tally-*.json for ReportTallyFunction. */
    private String functionFor(String file, JsonNode event) {
        for (var function : template.functions()) {
            String prefix = function.logicalId().replace("Function", "").replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT) + "-";
            if (event.has("Records") && !function.streams().isEmpty() && file.startsWith(prefix)) return function.logicalId();
            for (var route : function.routes()) {
                if (route.routeKey().equals(event.path("routeKey").asText())) return function.logicalId();
            }
        }
        throw new AssertionError("no function in template.yaml for " + event.path("routeKey"));
    }

    private ApiClient.Reply call(LocalGateway gateway, String method, String path, String body) {
        if (user == null) user = stack.newUser("dist-rt");
        return ApiClient.exchange(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(60)).header("authorization", "Bearer " + user.token()).header("content-type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static byte[] bytes(String file) {
        try {
            return Files.readAllBytes(ROOT.resolve(file));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Integer> expected(Object... pairs) {
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) expected.put((String) pairs[i], (Integer) pairs[i + 1]);
        return expected;
    }

    /** A server that accepts connections and never answers: a stalled dependency. */
    private static final class BlackHole implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        BlackHole() throws IOException {
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "black-hole");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        void awaitConnection(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (held.isEmpty() && System.nanoTime() < deadline) TestStack.pause(20);
            assertFalse(held.isEmpty(), "the function reached the stalled dependency");
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : held) socket.close();
        }
    }
}
