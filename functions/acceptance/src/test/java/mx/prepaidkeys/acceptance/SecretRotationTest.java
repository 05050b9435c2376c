package mx.prepaidkeys.acceptance;

import mx.prepaidkeys.domain.UserId;
import mx.prepaidkeys.config.HandlerContext;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import mx.prepaidkeys.backoffice.Batches;
import mx.prepaidkeys.api.capture.CaptureHandler;
import mx.prepaidkeys.config.LocalLambdaContext;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.api.confirm.ConfirmHandler;
import mx.prepaidkeys.domain.BackOfficeUser;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.api.list.ListHandler;
import org.junit.jupiter.api.Test;

/**
 * The README's rotation of the secret, on the emulators: once version 2 is current and version 1
 * still listed, keys minted under version 1 are found, new keys are minted under version 2, and the
 * cursors and stored answers of version 1 still work.
 */
class SecretRotationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECOND = "the-second-version-of-the-secret-0123456789abcdef";
    private final TestStack stack = TestStack.get();
    private final String table = stack.newTable();

    /** The functions as deployed before the rotation: the plain secret, version 1. */
    private Map<String, Object> before() {
        return stack.properties(table);
    }

    /** After step 2 of the README: version 2 current, version 1 listed. */
    private Map<String, Object> after() {
        Map<String, Object> properties = new HashMap<>(stack.properties(table));
        properties.put(ServiceSettings.KEY_PEPPER,
                "{\"current\": 2, \"versions\": {\"1\": \"" + TestStack.PEPPER + "\", \"2\": \"" + SECOND + "\"}}");
        return properties;
    }

    @Test
    void after_a_rotation_what_the_old_version_protected_still_works() throws Exception {
        new InProcessFixture.Products(stack, table).save(InProcessFixture.PRODUCT);
        String idempotencyKey = "confirm-" + UUID.randomUUID();
        String oldKey;
        String confirmBody;
        Reply firstAnswer;
        String oldCursor;
        try (var context = ApplicationContext.builder().properties(before()).start()) {
            var minted = context.getBean(Batches.class).mint(new BackOfficeUser(new UserId("admin-sub"), "admin"), InProcessFixture.PRODUCT.sku(), 3, null, null);
            assertEquals(1, minted.batch().hashVersion());
            oldKey = minted.keys().get(0).key();
            confirmBody = GuessingTest.body("confirm", minted.keys().get(1).key());
            try (var confirm = HandlerContext.inProcess(before(), ConfirmHandler::new); var list = HandlerContext.inProcess(before(), ListHandler::new)) {
                firstAnswer = call(confirm, confirmWithKey(confirmBody, idempotencyKey));
                assertEquals(200, firstAnswer.status(), firstAnswer.body());
                assertEquals(200, call(confirm, Events.withBody(Events.load("confirm-ok.json"),
                        GuessingTest.body("confirm", minted.keys().get(2).key()))).status());
                oldCursor = JSON.readTree(call(list, listEvent(Map.of("limit", "1"))).body()).path("nextCursor").asText();
            }
            assertEquals("1", oldCursor.split("\\.")[1], "a cursor names the version it was signed under");
        }

        try (var context = ApplicationContext.builder().properties(after()).start(); var capture = HandlerContext.inProcess(after(), CaptureHandler::new); var confirm = HandlerContext.inProcess(after(), ConfirmHandler::new);
             var list = HandlerContext.inProcess(after(), ListHandler::new)) {
            var found = call(capture, Events.withBody(Events.load("capture-ok.json"), GuessingTest.body("capture", oldKey)));
            assertEquals(200, found.status(), "a key minted under version 1 is found: " + found.body());

            var minted = context.getBean(Batches.class).mint(new BackOfficeUser(new UserId("admin-sub"), "admin"), InProcessFixture.PRODUCT.sku(), 1, null, null);
            assertEquals(2, minted.batch().hashVersion(), "new batches are minted under version 2");
            assertEquals(2, context.getBean(KeyRepository.class).findKey(minted.keys().getFirst().keyId()).orElseThrow().hashVersion());
            assertEquals(200, call(capture, Events.withBody(Events.load("capture-ok.json"),
                    GuessingTest.body("capture", minted.keys().getFirst().key()))).status(), "and found");

            var page = call(list, listEvent(Map.of("limit", "1", "cursor", oldCursor)));
            assertEquals(200, page.status(), "a cursor of version 1 still pages: " + page.body());
            String next = JSON.readTree(call(list, listEvent(Map.of("limit", "1"))).body()).path("nextCursor").asText();
            assertEquals("2", next.split("\\.")[1], "new cursors are signed under version 2");

            var replayed = call(confirm, confirmWithKey(confirmBody, idempotencyKey));
            assertEquals(200, replayed.status(), replayed.body());
            assertEquals("true", replayed.headers().get("idempotent-replayed"), "the answer sealed under version 1 opens");
            assertEquals(firstAnswer.body(), replayed.body());
        }
    }

    private static APIGatewayV2HTTPEvent confirmWithKey(String body, String idempotencyKey) {
        var event = Events.withBody(Events.load("confirm-ok.json"), body);
        event.getHeaders().put("idempotency-key", idempotencyKey);
        return event;
    }

    private static APIGatewayV2HTTPEvent listEvent(Map<String, String> query) {
        var event = Events.load("list.json");
        event.setQueryStringParameters(new HashMap<>(query));
        return event;
    }

    record Reply(int status, Map<String, String> headers, String body) {}

    private static Reply call(ApiHandler handler, APIGatewayV2HTTPEvent event) throws IOException {
        var response = handler.handleRequest(event, new LocalLambdaContext(UUID.randomUUID().toString(), handler.getClass().getSimpleName()));
        return new Reply(response.getStatusCode(), response.getHeaders(), response.getBody());
    }
}
