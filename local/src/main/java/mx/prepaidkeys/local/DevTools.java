package mx.prepaidkeys.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import mx.prepaidkeys.local.runtime.Invocation;
import mx.prepaidkeys.local.runtime.LambdaRuntime;
import mx.prepaidkeys.local.runtime.RuntimeTools;
import mx.prepaidkeys.store.IndexBackfill;

/**
 * `make token`, `make invoke` and `make metrics`: small tools against the running local stack
 * ({@code .local/stack.json}); `make backfill-indexes`: against it or a table in AWS.
 */
public final class DevTools {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DevTools() {}

    public static void main(String[] args) throws Exception {
        Path root = Emulators.repositoryRoot();
        if (args.length >= 2 && args[0].equals("token")) {
            System.out.println(token(StackFile.read(root.resolve(".local/stack.json")), args[1]));
        } else if (args.length >= 1 && args[0].equals("metrics")) {
            System.out.print(MetricsSummary.read(root.resolve(".local/logs/functions")).table());
        } else if (args.length >= 3 && args[0].equals("invoke")) {
            System.exit(invoke(root, StackFile.read(root.resolve(".local/stack.json")), args[1], Path.of(args[2])));
        } else if (args.length >= 1 && args[0].equals("backfill-indexes")) {
            backfillIndexes(root, args.length >= 2 ? args[1] : "", args.length >= 3 ? args[2] : "", args.length >= 4 ? args[3] : "");
        } else {
            System.err.println("usage: DevTools token <username> | invoke <FunctionLogicalId> <event.json> | metrics"
                    + " | backfill-indexes [<table> <region> [<endpoint>]]");
            System.exit(2);
        }
    }

    /**
     * Index entries for items written before their index existed ({@link IndexBackfill}): on a table
     * in AWS with the default credentials, or on the running local stack's when no table is named.
     */
    static void backfillIndexes(Path root, String table, String region, String endpoint) {
        var client = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create());
        if (table.isEmpty()) {
            StackFile stack = StackFile.read(root.resolve(".local/stack.json"));
            table = stack.dynamodb().tableName();
            client.region(software.amazon.awssdk.regions.Region.of(stack.region()))
                    .endpointOverride(URI.create(stack.dynamodb().endpoint()))
                    .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")));
        } else {
            client.region(software.amazon.awssdk.regions.Region.of(region));
            if (!endpoint.isEmpty()) client.endpointOverride(URI.create(endpoint));
        }
        long started = System.nanoTime();
        try (var dynamo = client.build()) {
            var result = IndexBackfill.run(dynamo, table, 4);
            System.out.printf("%s: %,d items scanned (%,.0f read units), %,d keys and %,d batches given their index entries, in %.1f s%n",
                    table, result.scanned(), result.readUnits(), result.keys(), result.batches(), (System.nanoTime() - started) / 1e9);
        }
    }

    /** An ID token for a demo user, signed in through cognito-local as the desk would. */
    static String token(StackFile stack, String username) {
        var user = stack.user(username);
        try (LocalCognito cognito = new LocalCognito(URI.create(stack.cognito().endpoint()))) {
            return cognito.idToken(new LocalCognito.Pool(stack.cognito().userPoolId(), stack.cognito().clientId()), username, user.password());
        }
    }

    /**
     * This project's `sam local invoke`: the function's built artifact, in a fresh instance of the
     * local Lambda runtime (a cold start), with its template environment pointed at the running
     * stack; the function's log goes to standard error, its answer and the REPORT line to standard
     * output. Exits 0 when the function answered, 1 when it did not.
     */
    static int invoke(Path root, StackFile stack, String name, Path eventFile) throws Exception {
        SamTemplate template = SamTemplate.load(root.resolve("template.yaml"));
        var function = template.functions().stream()
                .filter(f -> f.logicalId().equalsIgnoreCase(name) || f.logicalId().equalsIgnoreCase(name + "Function"))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no function " + name + " in template.yaml; functions: "
                        + template.functions().stream().map(SamTemplate.Function::logicalId).toList()));
        byte[] event = Files.readAllBytes(root.resolve(eventFile));
        Path logs = Files.createTempDirectory("make-invoke");
        try (LambdaRuntime lambda = new LambdaRuntime(template, root.resolve(".aws-sam/build"),
                f -> DevStack.overlay(f, URI.create(stack.dynamodb().endpoint()),
                URI.create(stack.ses().endpoint()), stack.dynamodb().tableName(), stack.apiUrl(), stack.cognito().endpoint(),
                stack.cognito().userPoolId()), stack.region(),
                RuntimeTools.find(root), logs, 1)) {
            var spec = lambda.function(function.logicalId());
            System.err.printf("%s: %s, java21, %d MB, %d s, from .aws-sam/build/%s%n", function.logicalId(), function.handler(),
                    spec.memoryMb(), spec.timeoutSeconds(), function.logicalId());
            lambda.listen(line -> {
                if (!line.line().startsWith("REPORT ")) System.err.println(line.line());
            });
            Invocation invocation = lambda.invoke(function.logicalId(), event);
            System.out.println(printable(invocation));
            System.out.println(invocation.report().line().strip());
            if (!invocation.answered()) System.err.println(function.logicalId() + " gave no answer: " + invocation.outcome());
            return invocation.answered() ? 0 : 1;
        } finally {
            try (var files = Files.walk(logs)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The answer, with an API answer's JSON body shown as JSON rather than as an escaped string. */
    private static String printable(Invocation invocation) throws Exception {
        JsonNode answer;
        try {
            answer = JSON.readTree(invocation.payload());
        } catch (java.io.IOException notJson) {
            return invocation.payloadText();
        }
        if (answer instanceof ObjectNode object && object.path("body").isTextual()) {
            String body = object.path("body").asText();
            if (body.startsWith("{") || body.startsWith("[")) {
                try {
                    object.set("body", JSON.readTree(body));
                } catch (java.io.IOException notJson) {
                    // shown as it is
                }
            }
        }
        return JSON.writeValueAsString(answer);
    }
}
