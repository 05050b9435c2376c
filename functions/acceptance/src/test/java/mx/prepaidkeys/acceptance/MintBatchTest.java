package mx.prepaidkeys.acceptance;

import mx.prepaidkeys.config.HandlerContext;
import mx.prepaidkeys.config.LocalLambdaContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import mx.prepaidkeys.api.batchget.GetBatchHandler;
import mx.prepaidkeys.api.batchmint.MintBatchHandler;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.log.JsonLog;
import mx.prepaidkeys.store.KeyTable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;

/**
 * The largest batch, 5,000 keys, minted by the real handler with an Idempotency-Key: every key
 * valid and distinct, all counted, and the retry gets the same 5,000 keys back. Prints the time,
 * the write requests and the capacity it took.
 */
class MintBatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void five_thousand_keys_are_minted_counted_and_replayed() throws Exception {
        TestStack stack = TestStack.get();
        // dynoxide slows every write down as a table's stream grows; AWS does not. Measure without one.
        String table = "mint-" + UUID.randomUUID().toString().substring(0, 8);
        stack.dynamo.createTable(KeyTable.definition(table).toBuilder()
                .streamSpecification(StreamSpecification.builder().streamEnabled(false).build()).build());
        new InProcessFixture.Products(stack, table).save(InProcessFixture.PRODUCT);
        MintBatchHandler mint = HandlerContext.inProcess(stack.properties(table), MintBatchHandler::new);

        var event = Events.load("admin-batch-mint.json");
        event.setBody("{\"productSku\":\"SAE-12M\",\"quantity\":5000,\"note\":\"El lote más grande\"}");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        JsonLog.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
        long started = System.nanoTime();
        // the template's 29 s: a 5,000-key mint is meant to fit one call; on a busy machine the same request finishes it
        var first = mint.handleRequest(event, new LocalLambdaContext("mint", "MintBatchFunction", 29_000));
        int calls = 1;
        while (first.getStatusCode() == 503 && first.getBody().contains("BATCH_INCOMPLETE") && calls < 10) {
            first = mint.handleRequest(event, new LocalLambdaContext("mint-" + calls, "MintBatchFunction", 29_000));
            calls++;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        JsonLog.redirect(System.out);
        assertEquals(201, first.getStatusCode(), first.getBody());

        JsonNode batch = JSON.readTree(first.getBody());
        Set<String> keys = new HashSet<>();
        for (JsonNode key : batch.path("keys")) {
            PrepaidKeyCode.parse(key.path("key").asText());
            keys.add(key.path("key").asText());
        }
        assertEquals(5000, keys.size());

        var get = Events.load("admin-batch-get.json");
        get.getPathParameters().put("batchId", batch.path("batchId").asText());
        var counted = JSON.readTree(HandlerContext.inProcess(stack.properties(table), GetBatchHandler::new).handleRequest(get, new LocalLambdaContext("get", "GetBatchFunction")).getBody());
        assertEquals(5000, counted.path("counts").path("ISSUED").asInt());

        var replay = mint.handleRequest(event, new LocalLambdaContext("mint-retry", "MintBatchFunction"));
        assertEquals(first.getBody(), replay.getBody(), "the retry gets the same batch, not a second one");
        assertEquals("true", replay.getHeaders().get("idempotent-replayed"));

        JsonNode minted = log.toString(StandardCharsets.UTF_8).lines().map(MintBatchTest::json)
                .filter(line -> "batch_minted".equals(line.path("event").asText())).reduce((a, b) -> b).orElseThrow();
        System.out.printf("mint 5000 keys: %.2f s through the handler in %d call(s) (%d ms of writes in the last), %d write requests, "
                        + "%.0f write capacity units, answer %d KB%n", seconds, calls, minted.path("millis").asLong(), minted.path("writeRequests").asInt(),
                minted.path("writeCapacityUnits").asDouble(), first.getBody().length() / 1024);
        if (calls == 1) assertTrue(minted.path("writeRequests").asInt() >= 5000 / 25, "25 keys per BatchWriteItem at most");
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception notJson) {
            return JSON.createObjectNode();
        }
    }
}
