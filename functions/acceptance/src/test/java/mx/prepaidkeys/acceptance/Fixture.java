package mx.prepaidkeys.acceptance;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import mx.prepaidkeys.activation.KeyIssuer;
import mx.prepaidkeys.capture.CaptureHandler;
import mx.prepaidkeys.confirm.ConfirmHandler;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.list.ListHandler;

/**
 * One test class's world: a fresh table with a product, and the three real handlers configured as
 * a deployment would configure them, pointed at the emulators.
 */
final class Fixture {
    static final Product PRODUCT = new Product("SAE-12M", "Aspel SAE 9.0", "Sistema Administrativo Empresarial, 12 meses",
            12, new License(Events.SAMPLE_LICENSE_VERSION, "Licencia de uso de Aspel SAE",
            "https://vendor.example/licencias/sae/2026.1", "El uso de Aspel SAE se rige por esta licencia de prueba."));
    private static final ObjectMapper JSON = new ObjectMapper();

    final TestStack stack = TestStack.get();
    final String table = stack.newTable();
    final CaptureHandler capture = new CaptureHandler(stack.context(table));
    final ConfirmHandler confirm = new ConfirmHandler(stack.context(table));
    final ListHandler list = new ListHandler(stack.context(table));
    final TableChanges changes = new TableChanges(stack, table);

    Fixture() {
        repository().saveProduct(PRODUCT);
    }

    KeyRepository repository() {
        return capture.getApplicationContext().getBean(KeyRepository.class);
    }

    /** Stores a known key as ISSUED (as a batch would), and returns its id. */
    String issue(String plainKey, Instant expiresAt) {
        return capture.getApplicationContext().getBean(KeyIssuer.class)
                .store(PRODUCT, List.of(PrepaidKeyCode.parse(plainKey)), "batch-test", expiresAt).getFirst().keyId();
    }

    /** Mints a fresh random key and returns it typed as a user would. */
    String mint() {
        return capture.getApplicationContext().getBean(KeyIssuer.class)
                .mint(PRODUCT, 1, "batch-test", null).getFirst().code().formatted();
    }

    PrepaidKey key(String keyId) {
        return repository().findKey(keyId).orElseThrow();
    }

    Response call(ApiHandler handler, APIGatewayV2HTTPEvent event) {
        var response = handler.handleRequest(event, new TestContext(UUID.randomUUID().toString(), handler.getClass().getSimpleName()));
        try {
            JsonNode body = response.getBody() == null ? null : JSON.readTree(response.getBody());
            return new Response(response.getStatusCode(), response.getHeaders(), response.getBody(), body);
        } catch (IOException e) {
            throw new AssertionError("the response body is not JSON: " + response.getBody(), e);
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
