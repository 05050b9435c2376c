package mx.prepaidkeys.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mx.prepaidkeys.local.Emulators;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docs/openapi.yaml as a checker: every exchange an end-to-end test has with the local gateway goes
 * through {@link #check}, which fails the test when the answer's status, media type or body is not
 * what the document promises for that operation, or when a request the service accepted (2xx) is
 * not one the document allows. The document then cannot drift from the service unnoticed.
 */
final class OpenApiContract {
    static final Path DOCUMENT = Emulators.repositoryRoot().resolve("docs/openapi.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}/]+)}");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static OpenApiContract instance;

    /** How many requests and responses were checked in this run (printed at the end). */
    static final AtomicInteger REQUESTS_CHECKED = new AtomicInteger();
    static final AtomicInteger RESPONSES_CHECKED = new AtomicInteger();

    private final JsonNode document;
    private final List<Operation> operations = new ArrayList<>();
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    record Operation(String method, String path, Pattern pattern, JsonNode node) {
        String routeKey() {
            return method + " " + path;
        }
    }

    private OpenApiContract(JsonNode document) {
        this.document = document;
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (!METHODS.contains(operation.getKey())) return;
            Matcher names = PARAMETER.matcher(path.getKey());
            StringBuilder regex = new StringBuilder();
            int last = 0;
            while (names.find()) {
                regex.append(Pattern.quote(path.getKey().substring(last, names.start()))).append("[^/]+");
                last = names.end();
            }
            regex.append(Pattern.quote(path.getKey().substring(last)));
            operations.add(new Operation(operation.getKey().toUpperCase(Locale.ROOT), path.getKey(), Pattern.compile(regex.toString()),
                    resolve(operation.getValue())));
        }));
    }

    static synchronized OpenApiContract get() {
        if (instance == null) {
            instance = new OpenApiContract(read(DOCUMENT));
        }
        return instance;
    }

    static JsonNode read(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            Object yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            return JSON.valueToTree(yaml);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    JsonNode document() {
        return document;
    }

    List<Operation> operations() {
        return operations;
    }

    Set<String> routeKeys() {
        Set<String> keys = new TreeSet<>();
        operations.forEach(operation -> keys.add(operation.routeKey()));
        return keys;
    }

    Optional<Operation> find(String method, String rawPath) {
        // A literal segment beats a parameter, as in API Gateway: try the paths with fewer parameters first.
        return operations.stream().filter(op -> op.method().equals(method) && op.pattern().matcher(rawPath).matches())
                .min(java.util.Comparator.comparingInt(op -> op.path().split("\\{", -1).length));
    }

    /** The JSON schema of an operation's request body, $refs resolved; empty when it takes none. */
    Optional<JsonNode> requestSchema(Operation operation) {
        JsonNode schema = operation.node().path("requestBody").path("content").path("application/json").path("schema");
        return schema.isMissingNode() ? Optional.empty() : Optional.of(schema);
    }

    /**
     * @param requestBody the JSON sent, or null
     * @throws AssertionError when the exchange breaks the contract
     */
    void check(String method, String rawPath, String requestBody, int status, String contentType, String responseBody) {
        Optional<Operation> found = find(method, rawPath);
        if (found.isEmpty()) {
            // Only the gateway's own 404 for a path that is no route may be undocumented.
            if (status != 404) throw new AssertionError(method + " " + rawPath + " answered " + status + " but is not in docs/openapi.yaml");
            return;
        }
        Operation operation = found.get();
        JsonNode responses = operation.node().path("responses");
        JsonNode response = responses.has(Integer.toString(status)) ? responses.path(Integer.toString(status)) : responses.path(status / 100 + "XX");
        if (response.isMissingNode()) response = responses.path("default");
        if (response.isMissingNode()) {
            throw new AssertionError(operation.routeKey() + ": status " + status + " is not documented; body: " + responseBody);
        }
        RESPONSES_CHECKED.incrementAndGet();
        if (responseBody != null && !responseBody.isEmpty()) {
            String mediaType = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
            JsonNode content = response.path("content");
            if (!content.has(mediaType)) {
                throw new AssertionError(operation.routeKey() + " " + status + ": media type " + mediaType + " is not documented");
            }
            if (mediaType.endsWith("json")) {
                validate(content.path(mediaType).path("schema"), responseBody, operation.routeKey() + " " + status + " response");
            }
        }
        if (status / 100 == 2 && requestBody != null && !requestBody.isEmpty()) {
            REQUESTS_CHECKED.incrementAndGet();
            JsonNode schema = requestSchema(operation)
                    .orElseThrow(() -> new AssertionError(operation.routeKey() + " accepted a body the document does not describe"));
            validate(schema, requestBody, operation.routeKey() + " request the service accepted");
        }
    }

    void validate(JsonNode schema, String json, String what) {
        String text = schema.toString();
        Schema compiled = schemas.computeIfAbsent(text, s -> registry.getSchema(s, InputFormat.JSON));
        var errors = compiled.validate(json, InputFormat.JSON);
        if (!errors.isEmpty()) {
            throw new AssertionError(what + " does not match docs/openapi.yaml: " + errors + "\n" + abbreviate(json));
        }
    }

    /** Whether a JSON value passes a schema (for the hostile-input cases built from the document). */
    boolean accepts(JsonNode schema, String json) {
        Schema compiled = schemas.computeIfAbsent(schema.toString(), s -> registry.getSchema(s, InputFormat.JSON));
        return compiled.validate(json, InputFormat.JSON).isEmpty();
    }

    /** A copy of {@code node} with every {@code $ref} to this document replaced by what it points at. */
    JsonNode resolve(JsonNode node) {
        return resolve(node, 0);
    }

    /** @param refs how many $refs led here: a chain longer than 20 is a cycle */
    private JsonNode resolve(JsonNode node, int refs) {
        if (refs > 20) throw new IllegalStateException("docs/openapi.yaml: $ref cycle");
        if (node.isObject()) {
            if (node.has("$ref")) {
                String ref = node.path("$ref").asText();
                if (!ref.startsWith("#/")) throw new IllegalStateException("only local $refs are supported: " + ref);
                JsonNode target = document.at(ref.substring(1));
                if (target.isMissingNode()) throw new IllegalStateException("docs/openapi.yaml: $ref to nothing: " + ref);
                return resolve(target, refs + 1);
            }
            ObjectNode copy = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                var field = fields.next();
                copy.set(field.getKey(), resolve(field.getValue(), refs));
            }
            return copy;
        }
        if (node.isArray()) {
            var copy = JSON.createArrayNode();
            node.forEach(item -> copy.add(resolve(item, refs)));
            return copy;
        }
        return node;
    }

    private static String abbreviate(String text) {
        return text.length() > 2000 ? text.substring(0, 2000) + "…" : text;
    }
}
