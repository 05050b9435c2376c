package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.edge.DomainErrorSamples;
import mx.prepaidkeys.edge.Problems;
import mx.prepaidkeys.local.Emulators;
import mx.prepaidkeys.local.SamTemplate;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml against template.yaml and the code: the same routes, every error code the
 * service can answer, a security scheme on every operation, and the local gateway serves it. (That
 * real requests and answers match its schemas is checked on every exchange, by {@link ApiClient}.)
 */
class OpenApiDocumentTest {
    private final OpenApiContract contract = OpenApiContract.get();

    @Test
    void it_documents_exactly_the_routes_of_the_template() {
        Set<String> template = new TreeSet<>();
        for (var function : SamTemplate.load(Emulators.repositoryRoot().resolve("template.yaml")).functions()) {
            function.routes().forEach(route -> template.add(route.routeKey()));
        }
        assertEquals(template, contract.routeKeys());
        assertEquals("3.1.0", contract.document().path("openapi").asText());
    }

    @Test
    void every_operation_is_secured_and_documents_its_refusals() {
        JsonNode document = contract.document();
        assertFalse(document.path("components").path("securitySchemes").isEmpty(), "a security scheme");
        for (var operation : contract.operations()) {
            boolean secured = operation.node().has("security") ? !operation.node().path("security").isEmpty()
                    : !document.path("security").isEmpty();
            assertTrue(secured, operation.routeKey() + " requires the token");
            for (String status : new String[] {"401", "403"}) {
                assertTrue(operation.node().path("responses").has(status), operation.routeKey() + " documents " + status);
            }
            assertTrue(operation.node().hasNonNull("operationId"), operation.routeKey() + " has an operationId");
        }
    }

    @Test
    void every_error_code_the_service_answers_is_in_the_problem_schema() {
        Set<String> documented = new HashSet<>();
        contract.resolve(contract.document().path("components").path("schemas")).findValues("code")
                .forEach(code -> code.path("enum").forEach(value -> documented.add(value.asText())));
        Set<String> answered = new TreeSet<>(Set.of(Problems.REQUEST_INVALID, Problems.UNSUPPORTED_MEDIA_TYPE, Problems.INTERNAL_ERROR,
                Problems.SERVICE_UNAVAILABLE, Problems.FORBIDDEN, Problems.EXPORT_TOO_LARGE));
        for (DomainError error : DomainErrorSamples.everyKind()) answered.add(Problems.typeOf(error).code());
        answered.removeAll(documented);
        assertEquals(Set.of(), answered, "codes missing from docs/openapi.yaml");
    }

    @Test
    void the_local_gateway_serves_it_without_a_token() throws Exception {
        var stack = TestStack.get();
        var reply = ApiClient.exchange(HttpRequest.newBuilder(URI.create(stack.local.info().apiUrl() + "/openapi.yaml")).GET().build());
        assertEquals(200, reply.status());
        assertTrue(reply.header("content-type").startsWith("application/yaml"));
        assertEquals(Files.readString(OpenApiContract.DOCUMENT), reply.body());
    }
}
