package mx.prepaidkeys.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * template.yaml read as data: the functions, their routes, environment and policies. The local
 * gateway serves the routes it finds here, and the contract test holds the template to the code,
 * so the template stays the one map of the system.
 */
public final class SamTemplate {
    private final Map<String, Object> root;

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
    }

    public static SamTemplate load(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            Map<String, Object> root = new Yaml(new CloudFormationTags()).load(reader);
            return new SamTemplate(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    public Map<String, Object> resources() {
        return map(root.get("Resources"));
    }

    public Map<String, Object> resource(String logicalId) {
        return map(resources().get(logicalId));
    }

    /** {@code Globals.Function}, merged under each function's own properties by SAM. */
    public Map<String, Object> functionGlobals() {
        return map(map(root.get("Globals")).get("Function"));
    }

    public List<Function> functions() {
        List<Function> functions = new ArrayList<>();
        for (var entry : resources().entrySet()) {
            Map<String, Object> resource = map(entry.getValue());
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) continue;
            Map<String, Object> properties = map(resource.get("Properties"));
            List<Route> routes = new ArrayList<>();
            List<StreamSource> streams = new ArrayList<>();
            for (var event : map(properties.get("Events")).entrySet()) {
                Map<String, Object> eventMap = map(event.getValue());
                Map<String, Object> eventProperties = map(eventMap.get("Properties"));
                if ("HttpApi".equals(eventMap.get("Type"))) {
                    routes.add(new Route(String.valueOf(eventProperties.get("Method")).toUpperCase(), String.valueOf(eventProperties.get("Path"))));
                } else if ("DynamoDB".equals(eventMap.get("Type"))) {
                    List<Object> patterns = new ArrayList<>();
                    for (Object filter : list(map(eventProperties.get("FilterCriteria")).get("Filters"))) patterns.add(map(filter).get("Pattern"));
                    streams.add(new StreamSource(event.getKey(), number(eventProperties.get("BatchSize"), 100),
                            number(eventProperties.get("MaximumRetryAttempts"), -1), patterns.stream().map(String::valueOf).toList()));
                }
            }
            Map<String, Object> environment = new LinkedHashMap<>(map(map(functionGlobals().get("Environment")).get("Variables")));
            environment.putAll(map(map(properties.get("Environment")).get("Variables")));
            functions.add(new Function(entry.getKey(), String.valueOf(properties.get("CodeUri")), String.valueOf(properties.get("Handler")),
                    routes, environment, list(properties.get("Policies")), map(resource.get("Metadata")),
                    number(setting(properties, "MemorySize"), 128), number(setting(properties, "Timeout"), 3),
                    String.valueOf(setting(properties, "Runtime")),
                    String.valueOf(map(setting(properties, "LoggingConfig")).getOrDefault("LogFormat", "Text")), streams));
        }
        return functions;
    }

    /** A function's property as SAM resolves it: its own, else {@code Globals.Function}'s, with a parameter's default for {@code !Ref}. */
    private Object setting(Map<String, Object> properties, String name) {
        Object value = properties.containsKey(name) ? properties.get(name) : functionGlobals().get(name);
        return value instanceof Map<?, ?> reference && reference.get("Ref") instanceof String parameter
                ? map(map(root.get("Parameters")).get(parameter)).get("Default") : value;
    }

    private static int number(Object value, int fallback) {
        if (value == null) return fallback;
        return value instanceof Number number ? number.intValue() : Integer.parseInt(String.valueOf(value).trim());
    }

    /** An HTTP API route: method and path (with {@code {name}} path parameters). */
    public record Route(String method, String path) {
        public String routeKey() {
            return method + " " + path;
        }
    }

    /**
     * A DynamoDB stream event source mapping of a function.
     *
     * @param maximumRetryAttempts -1 when the template leaves it to Lambda (retry until the record expires)
     * @param filterPatterns       the {@code FilterCriteria} patterns, JSON, as written
     */
    public record StreamSource(String name, int batchSize, int maximumRetryAttempts, List<String> filterPatterns) {}

    /**
     * @param environment the function's variables over the globals' (values are template expressions)
     * @param policies    the {@code Policies} list as written
     * @param memoryMb    {@code MemorySize}, its own or the globals', parameters resolved to their defaults
     * @param timeoutSeconds {@code Timeout}, likewise
     * @param logFormat   {@code LoggingConfig.LogFormat}: JSON or Text
     */
    public record Function(String logicalId, String codeUri, String handler, List<Route> routes, Map<String, Object> environment,
                           List<Object> policies, Map<String, Object> metadata, int memoryMb, int timeoutSeconds, String runtime,
                           String logFormat, List<StreamSource> streams) {
        public String handlerClass() {
            int separator = handler.indexOf("::");
            return separator < 0 ? handler : handler.substring(0, separator);
        }

        /** Every action the function's inline policy statements allow (managed policies are not read). */
        public java.util.Set<String> allowedActions() {
            java.util.Set<String> actions = new java.util.TreeSet<>();
            for (Object policy : policies) {
                for (Object statement : list(map(policy).get("Statement"))) {
                    if ("Allow".equals(map(statement).get("Effect"))) list(map(statement).get("Action")).forEach(a -> actions.add(String.valueOf(a)));
                }
            }
            return actions;
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        return value instanceof List<?> list ? (List<Object>) list : value == null ? List.of() : List.of(value);
    }

    /** Reads {@code !Ref x} as {@code {Ref: x}} and {@code !Sub s} as {@code {Fn::Sub: s}}, like the JSON form. */
    private static final class CloudFormationTags extends SafeConstructor {
        CloudFormationTags() {
            super(new LoaderOptions());
            yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue().substring(1);
                    Object value = switch (node) {
                        case ScalarNode scalar -> constructScalar(scalar);
                        case SequenceNode sequence -> constructSequence(sequence);
                        case MappingNode mapping -> constructMapping(mapping);
                        default -> null;
                    };
                    return Map.of(tag.equals("Ref") ? "Ref" : "Fn::" + tag, value);
                }
            });
        }
    }
}
