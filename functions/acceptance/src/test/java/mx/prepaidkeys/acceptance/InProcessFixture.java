package mx.prepaidkeys.acceptance;

import mx.prepaidkeys.domain.UserId;
import mx.prepaidkeys.config.HandlerContext;
import mx.prepaidkeys.config.LocalLambdaContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import mx.prepaidkeys.backoffice.Batches;
import mx.prepaidkeys.domain.BackOfficeUser;
import mx.prepaidkeys.domain.Crockford;
import mx.prepaidkeys.domain.KeyBatch;
import mx.prepaidkeys.domain.KeyHasher;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.api.capture.CaptureHandler;
import mx.prepaidkeys.api.confirm.ConfirmHandler;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.api.list.ListHandler;
import mx.prepaidkeys.local.StreamPoller;

/**
 * The in-process path, for tests that need a handler's internals: one test class's world, a fresh
 * table with a product (seeded through the handlers' own beans, every write of it diffable), and
 * the real capture, confirm and list handlers in this JVM, configured as a deployment would
 * configure them and pointed at the emulators. How Lambda runs the functions (their built
 * artifacts under the runtime) is RuntimeContractTest's and the gateway tests'.
 */
final class InProcessFixture {
    static final Product PRODUCT = new Product("SAE-12M", "Aspel SAE 9.0", "Sistema Administrativo Empresarial, 12 meses",
            12, new License(Events.SAMPLE_LICENSE_VERSION, "Licencia de uso de Aspel SAE",
            "https://vendor.example/licencias/sae/2026.1", "El uso de Aspel SAE se rige por esta licencia de prueba."));
    private static final ObjectMapper JSON = new ObjectMapper();

    final TestStack stack = TestStack.get();
    final String table = stack.newTable();
    final CaptureHandler capture = HandlerContext.inProcess(stack.properties(table), CaptureHandler::new);
    final ConfirmHandler confirm = HandlerContext.inProcess(stack.properties(table), ConfirmHandler::new);
    final ListHandler list = HandlerContext.inProcess(stack.properties(table), ListHandler::new);
    final TableChanges changes = new TableChanges(stack, table);
    /** The notifier on this table's stream, run when a test says so (the stack's own runs by itself). */
    private final StreamPoller notifier = InProcessNotifier.on(stack, table, stack.properties(table));

    InProcessFixture() {
        repository().saveProduct(PRODUCT);
    }

    /** Runs the notifier over what the table's stream holds now: the emails activations owe go out. */
    void deliverEmails() {
        notifier.pollOnce();
    }

    KeyRepository repository() {
        return capture.getApplicationContext().getBean(KeyRepository.class);
    }

    /** Stores a known key as ISSUED in a batch of its own, and returns its id. */
    String issue(String plainKey, Instant expiresAt) {
        PrepaidKeyCode code = PrepaidKeyCode.parse(plainKey);
        KeyId keyId = capture.getApplicationContext().getBean(KeyHasher.class).hash(code).keyId();
        byte[] id = new byte[10];
        new java.security.SecureRandom().nextBytes(id);
        String batchId = Crockford.encode(id, 16).toLowerCase();
        Instant now = Instant.now();
        repository().saveBatch(new KeyBatch(batchId, PRODUCT.sku(), PRODUCT.name(), 1, expiresAt, "test", now, new UserId("test-admin"), null),
                List.of(PrepaidKey.issued(keyId, code.masked(), PRODUCT, batchId, expiresAt)), now);
        return keyId.value();
    }

    /** Mints a fresh random key, as the back office does, and returns it typed as a user would. */
    String mint() {
        return capture.getApplicationContext().getBean(Batches.class)
                .mint(new BackOfficeUser(new UserId("test-admin"), null), PRODUCT.sku(), 1, null, null).keys().getFirst().key();
    }

    PrepaidKey key(String keyId) {
        return repository().findKey(new KeyId(keyId)).orElseThrow();
    }

    /** The handler's {@code handleRequest} in this JVM, with an event object: what the handler does, not how Lambda runs it. */
    Response invokeInProcess(ApiHandler handler, APIGatewayV2HTTPEvent event) {
        var response = handler.handleRequest(event, new LocalLambdaContext(UUID.randomUUID().toString(), handler.getClass().getSimpleName()));
        try {
            JsonNode body = response.getBody() == null ? null : JSON.readTree(response.getBody());
            return new Response(response.getStatusCode(), response.getHeaders(), response.getBody(), body);
        } catch (IOException e) {
            throw new AssertionError("the response body is not JSON: " + response.getBody(), e);
        }
    }

    /** Saves products into any table, as the back office would. */
    record Products(TestStack stack, String table) {
        void save(Product product) {
            try (var context = stack.context(table).start()) {
                context.getBean(KeyRepository.class).saveProduct(product);
            }
        }
    }

    /** What the caller receives. */
    record Response(int status, Map<String, String> headers, String raw, JsonNode body) {
        String code() {
            return body.path("code").asText(null);
        }

        /** The body without the field that differs on every request. */
        JsonNode withoutRequestId() {
            var copy = body.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove("requestId");
            return copy;
        }
    }
}
