package mx.prepaidkeys.local;

import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import mx.prepaidkeys.local.runtime.Invocation;
import mx.prepaidkeys.local.runtime.LambdaRuntime;
import mx.prepaidkeys.local.runtime.RuntimeTools;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.store.KeyTable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * The whole service on this machine, what `make run` starts: DynamoDB (dynoxide, data in
 * {@code .local/}), Cognito (cognito-local), SES (aws-ses-v2-local, with a web inbox), the functions
 * of template.yaml under the local Lambda runtime (their {@code sam build} artifacts, each in its
 * own processes), the local gateway on the template's routes, and the notifier and the activation
 * report's tally on the table's stream. The first start seeds users, products and keys; later starts find them again. The
 * end-to-end tests start it the same way.
 */
public final class DevStack implements AutoCloseable {
    public static final String TABLE = "prepaid-keys-local";
    public static final String REGION = "us-east-1";
    /** The local stack's pepper: demo data only, never a production secret. */
    public static final String LOCAL_PEPPER = "local-stack-pepper-not-a-secret-0123456789abcdef";
    public static final String SENDER = "claves-prepago@vendor.example";

    private final Options options;
    private final SamTemplate template;
    private final Emulators emulators;
    private final LambdaRuntime lambda;
    private final LocalGateway gateway;
    private final StreamPoller notifier;
    private final StreamPoller reportTally;
    private final StackFile info;

    private DevStack(Options options, SamTemplate template, Emulators emulators, LambdaRuntime lambda, LocalGateway gateway,
                     StreamPoller notifier, StreamPoller reportTally, StackFile info) {
        this.options = options;
        this.template = template;
        this.emulators = emulators;
        this.lambda = lambda;
        this.gateway = gateway;
        this.notifier = notifier;
        this.reportTally = reportTally;
        this.info = info;
    }

    /**
     * Ports, where state lives, and where the functions' {@code sam build} artifacts are;
     * {@link #fromEnvironment} reads them the way `make run` passes them.
     */
    public record Options(Path root, Path stateDir, int apiPort, int dynamoDbPort, int cognitoPort, int sesPort, Path buildDir,
                          int concurrency) {
        public static Options fromEnvironment(Path root) {
            return new Options(root, root.resolve(".local"), port("API_PORT", 3000), port("DYNAMODB_PORT", 8000),
                    port("COGNITO_PORT", 9229), port("SES_PORT", 8005), root.resolve(".aws-sam/build"), LambdaRuntime.concurrencyFromEnvironment());
        }

        /** Free ports and a state directory of its own: for tests that run beside a developer's stack. */
        public static Options isolated(Path root, Path stateDir) {
            int[] ports = Emulators.freePorts(4);
            return new Options(root, stateDir, ports[0], ports[1], ports[2], ports[3], root.resolve(".aws-sam/build"),
                    LambdaRuntime.concurrencyFromEnvironment());
        }

        private static int port(String variable, int fallback) {
            String value = System.getenv(variable);
            return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
        }

        Map<String, Integer> ports() {
            Map<String, Integer> ports = new LinkedHashMap<>();
            ports.put("API_PORT (the API)", apiPort);
            ports.put("DYNAMODB_PORT (DynamoDB)", dynamoDbPort);
            ports.put("COGNITO_PORT (Cognito)", cognitoPort);
            ports.put("SES_PORT (SES)", sesPort);
            return ports;
        }
    }

    public static DevStack start(Options options) {
        return start(options, false);
    }

    /** @param console whether each request and what the functions warn about is printed (make run) */
    public static DevStack start(Options options, boolean console) {
        // The SDK wants credentials even for emulators; these open nothing real.
        if (System.getProperty("aws.accessKeyId") == null && System.getenv("AWS_ACCESS_KEY_ID") == null) {
            System.setProperty("aws.accessKeyId", "local");
            System.setProperty("aws.secretAccessKey", "local");
        }
        SamTemplate template = SamTemplate.load(options.root().resolve("template.yaml"));
        RuntimeTools tools = RuntimeTools.find(options.root());
        Path stateFile = options.stateDir().resolve("stack.json");
        StackFile earlier = StackFile.readIfPresent(stateFile);
        Emulators emulators = Emulators.start(options.root(), options.stateDir(), options.stateDir().resolve("dynamodb.db"),
                options.dynamoDbPort(), options.sesPort(), options.cognitoPort())
                .supervise(reason -> System.err.println("local stack: " + reason));
        LambdaRuntime lambda = null;
        try {
            boolean freshTable = ensureTable(emulators.dynamoDbEndpoint());

            LocalCognito.Pool pool;
            Map<String, String> subs = new HashMap<>();
            try (LocalCognito cognito = new LocalCognito(emulators.cognitoEndpoint())) {
                LocalCognito.Pool earlierPool = earlier == null ? null
                        : new LocalCognito.Pool(earlier.cognito().userPoolId(), earlier.cognito().clientId());
                pool = cognito.ensurePool("prepaid-keys-local", earlierPool);
                for (var user : DemoData.USERS) subs.put(user.username(), cognito.ensureUser(pool, user));
            }

            String apiUrl = "http://127.0.0.1:" + options.apiPort();
            List<DemoData.DemoKey> demoKeys;
            if (freshTable || earlier == null || earlier.demoKeys() == null) {
                try (ApplicationContext context = ApplicationContext.builder().properties(functionProperties(emulators, apiUrl)).start()) {
                    demoKeys = DemoData.seed(context, subs);
                }
            } else {
                demoKeys = earlier.demoKeys();
            }

            Function<SamTemplate.Function, Map<String, String>> overlay = function -> overlay(function, emulators.dynamoDbEndpoint(),
                    emulators.sesEndpoint(), TABLE, apiUrl, emulators.cognitoEndpoint().toString(), pool.userPoolId());
            writeSamLocalEnvironment(template, overlay, options.stateDir().resolve("sam-local-env.json"));
            lambda = new LambdaRuntime(template, options.buildDir(), overlay, REGION, tools, options.stateDir().resolve("logs/functions"),
                    options.concurrency());
            String issuer = emulators.cognitoEndpoint() + "/" + pool.userPoolId();
            URI jwks = URI.create(issuer + "/.well-known/jwks.json");
            LocalGateway gateway = new LocalGateway(template, new JwtAuthorizer(issuer, jwks, pool.clientId()), lambda, options.apiPort())
                    .withOpenApi(options.root().resolve("docs/openapi.yaml"))
                    .withSite(options.root().resolve("web/dist"), siteConfig(emulators, pool), emulators.cognitoEndpoint().toString());
            if (console) {
                gateway.withConsole(DevStack::printServed);
                lambda.listen(DevStack::printWarnings);
            }
            gateway.start();

            List<StackFile.User> users = new ArrayList<>();
            for (var user : DemoData.USERS) {
                users.add(new StackFile.User(user.username(), user.password(), user.email(), user.groups(), user.distributorId()));
            }
            StackFile info = new StackFile(apiUrl, REGION,
                    new StackFile.Cognito(emulators.cognitoEndpoint().toString(), pool.userPoolId(), pool.clientId(), issuer, jwks.toString()),
                    new StackFile.Ses(emulators.sesEndpoint().toString(), emulators.sesEndpoint() + "/"),
                    new StackFile.DynamoDb(emulators.dynamoDbEndpoint().toString(), TABLE),
                    users, demoKeys);
            info.write(stateFile);
            // The notifier function on the table's stream, as its event source mapping runs it in AWS.
            LambdaRuntime runtime = lambda;
            StreamPoller notifier = streamPoller(emulators, template, TABLE, "NotifierFunction",
                    event -> {
                        Invocation invocation = runtime.invoke("NotifierFunction", event);
                        return invocation.answered() ? invocation.payload() : null;
                    }, options.stateDir().resolve("stream-checkpoint")).start(200);
            // The report's tally on the same stream: its own event source mapping, its own position, as in AWS.
            StreamPoller reportTally = streamPoller(emulators, template, TABLE, "ReportTallyFunction",
                    event -> {
                        Invocation invocation = runtime.invoke("ReportTallyFunction", event);
                        return invocation.answered() ? invocation.payload() : null;
                    }, options.stateDir().resolve("report-stream-checkpoint")).start(200);
            return new DevStack(options, template, emulators, lambda, gateway, notifier, reportTally, info);
        } catch (RuntimeException | IOException e) {
            if (lambda != null) lambda.close();
            emulators.close();
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
    }

    /**
     * What the local stack sets of each function's template variables, as {@code sam local
     * --env-vars} would: the emulators' endpoints, the local table, the sender, and the pepper in
     * place of the Secrets Manager secret, only for a function whose policy may read that secret
     * (a function that needs it without the permission fails here as it would in AWS).
     */
    public static Map<String, String> overlay(SamTemplate.Function function, URI dynamoDb, URI ses, String table, String apiUrl) {
        return overlay(function, dynamoDb, ses, table, apiUrl, null, null);
    }

    /** Like {@link #overlay(SamTemplate.Function, URI, URI, String, String)}, with the local user pool. */
    public static Map<String, String> overlay(SamTemplate.Function function, URI dynamoDb, URI ses, String table, String apiUrl,
                                              String cognitoEndpoint, String userPoolId) {
        Map<String, String> overlay = new LinkedHashMap<>();
        overlay.put("TABLE_NAME", table);
        overlay.put("DYNAMODB_ENDPOINT", dynamoDb.toString());
        overlay.put("SES_ENDPOINT", ses.toString());
        // The local user pool, for the function that lists a distributor's users (only where it is declared).
        overlay.put("COGNITO_ENDPOINT", cognitoEndpoint == null ? "" : cognitoEndpoint);
        overlay.put("USER_POOL_ID", userPoolId == null ? "" : userPoolId);
        overlay.put("PEPPER_SECRET_ARN", "");
        overlay.put("KEY_PEPPER", function.allowedActions().contains("secretsmanager:GetSecretValue") ? LOCAL_PEPPER : "");
        overlay.put("SENDER_ADDRESS", SENDER);
        overlay.put("DESK_URL", apiUrl + "/");
        // no SQS here: a dead letter is the notifier's log line
        overlay.put("DEAD_LETTER_QUEUE_URL", "");
        return overlay;
    }

    /** The same values for `sam local invoke --env-vars` (with Docker), one section per function. */
    private static void writeSamLocalEnvironment(SamTemplate template, Function<SamTemplate.Function, Map<String, String>> overlay, Path file)
            throws IOException {
        Map<String, Object> sections = new LinkedHashMap<>();
        for (var function : template.functions()) sections.put(function.logicalId(), overlay.apply(function));
        Files.createDirectories(file.getParent());
        new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), sections);
    }

    /**
     * A function on a table's stream with the event source mapping's settings from template.yaml.
     *
     * @param checkpoint keeps the position between runs (null: from the stream's start)
     */
    public static StreamPoller streamPoller(Emulators emulators, SamTemplate template, String table, String logicalId,
                                            StreamPoller.StreamFunction function, Path checkpoint) {
        var source = template.functions().stream().filter(f -> f.logicalId().equals(logicalId)).findFirst()
                .flatMap(f -> f.streams().stream().findFirst())
                .orElseThrow(() -> new IllegalStateException(logicalId + " has no DynamoDB event source in template.yaml"));
        var streams = software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(emulators.dynamoDbEndpoint()).build();
        String streamArn;
        try (DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(emulators.dynamoDbEndpoint()).build()) {
            streamArn = dynamo.describeTable(r -> r.tableName(table)).table().latestStreamArn();
        }
        return new StreamPoller(streams, streamArn, source, function, checkpoint);
    }

    private static void printServed(LocalGateway.Served served) {
        var report = served.invocation().report();
        System.out.printf(java.util.Locale.ROOT, "%s %3d %-48s %s#%d %8.2f ms%s, %d MB%n", java.time.LocalTime.now().withNano(0), served.status(),
                served.routeKey(), served.invocation().function(), report.instance(), report.durationMs(),
                report.cold() ? String.format(java.util.Locale.ROOT, " (cold start, init %.0f ms)", report.initMs()) : "", report.maxMemoryMb());
    }

    /** What a function logs above INFO, on the console too; everything is in .local/logs/functions/. */
    private static void printWarnings(LambdaRuntime.FunctionLine line) {
        if (line.line().contains("\"level\":\"ERROR\"") || line.line().contains("\"level\":\"WARN\"")) {
            System.out.println("         " + line.function() + "#" + line.instance() + " " + line.line());
        }
    }

    /**
     * The desk's settings: the API on the page's own origin, sign-in at cognito-local, and the demo
     * users, which the sign-in page shows only when this says so (a deployed config.json never does).
     */
    private static String siteConfig(Emulators emulators, LocalCognito.Pool pool) {
        String users = DemoData.USERS.stream().map(u -> "\"" + u.username() + "\"").collect(java.util.stream.Collectors.joining(","));
        return "{\"apiUrl\":\"\",\"cognito\":{\"endpoint\":\"" + emulators.cognitoEndpoint() + "/\",\"clientId\":\""
                + pool.clientId() + "\",\"region\":\"" + REGION + "\"},\"demo\":{\"users\":[" + users + "],\"password\":\""
                + DemoData.PASSWORD + "\"}}";
    }

    /** What each function gets as settings: in AWS its environment, here properties of its context. */
    static Map<String, Object> functionProperties(Emulators emulators, String apiUrl) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ServiceSettings.TABLE_NAME, TABLE);
        properties.put(ServiceSettings.REGION, REGION);
        properties.put(ServiceSettings.DYNAMODB_ENDPOINT, emulators.dynamoDbEndpoint().toString());
        properties.put(ServiceSettings.SES_ENDPOINT, emulators.sesEndpoint().toString());
        properties.put(ServiceSettings.KEY_PEPPER, LOCAL_PEPPER);
        properties.put(ServiceSettings.SENDER_ADDRESS, SENDER);
        properties.put(ServiceSettings.DESK_URL, apiUrl + "/");
        return properties;
    }

    /** Creates the table when the data directory is new; true when it did. */
    private static boolean ensureTable(URI endpoint) {
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(endpoint)
                .build()) {
            try {
                dynamo.describeTable(r -> r.tableName(TABLE));
                return false;
            } catch (ResourceNotFoundException absent) {
                dynamo.createTable(KeyTable.definition(TABLE));
                dynamo.waiter().waitUntilTableExists(r -> r.tableName(TABLE));
                return true;
            }
        }
    }

    public StackFile info() {
        return info;
    }

    /** The notifier running on the stack table's stream (tests pause it to stage a fault). */
    public StreamPoller streamNotifier() {
        return notifier;
    }

    /** The activation report's tally on the stack table's stream. */
    public StreamPoller streamReportTally() {
        return reportTally;
    }

    public Emulators emulators() {
        return emulators;
    }

    /** The functions' runtime: tests read its logs and crash its instances. */
    public LambdaRuntime lambda() {
        return lambda;
    }

    /**
     * Another runtime for this stack's functions, with some of their variables changed (a setting
     * removed, a dependency that stalls, a shorter timeout): tests stage faults with it, beside the
     * stack's own runtime. Its logs go to {@code logs/functions-<name>/}.
     */
    public LambdaRuntime runtimeWith(String name, Function<SamTemplate.Function, Map<String, String>> changes) {
        return new LambdaRuntime(template, options.buildDir(), function -> {
            Map<String, String> overlay = new LinkedHashMap<>(overlay(function, emulators.dynamoDbEndpoint(), emulators.sesEndpoint(), TABLE,
                    info.apiUrl(), info.cognito().endpoint(), info.cognito().userPoolId()));
            overlay.putAll(changes.apply(function));
            return overlay;
        }, REGION, RuntimeTools.find(options.root()), options.stateDir().resolve("logs/functions-" + name), options.concurrency());
    }

    /** A gateway on this stack's routes and token issuer in front of another runtime, on a free port (started). */
    public LocalGateway gatewayFor(LambdaRuntime runtime) {
        try {
            return new LocalGateway(template, new JwtAuthorizer(info.cognito().issuer(), URI.create(info.cognito().jwksUrl()),
                    info.cognito().clientId()), runtime, Emulators.freePorts(1)[0]).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a gateway", e);
        }
    }

    @Override
    public void close() {
        notifier.close();
        reportTally.close();
        gateway.close();
        lambda.close();
        emulators.close();
    }

    // ---- make run ------------------------------------------------------------------------------

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        Path root = Emulators.repositoryRoot();
        Options options = Options.fromEnvironment(root);
        Path pidFile = options.stateDir().resolve("run.pid");
        Long running = runningPid(pidFile);
        if (running != null) {
            System.err.println("The local stack is already running (pid " + running + "). Stop it with `make stop`.");
            System.exit(1);
        }
        for (var port : options.ports().entrySet()) {
            if (!free(port.getValue())) {
                String variable = port.getKey().substring(0, port.getKey().indexOf(' '));
                System.err.println("Port " + port.getValue() + " for " + port.getKey() + " is in use. Stop what uses it, or pick another: "
                        + "make run " + variable + "=" + (port.getValue() + 1));
                System.exit(1);
            }
        }
        Files.createDirectories(options.stateDir());
        Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()));

        CountDownLatch stopped = new CountDownLatch(1);
        DevStack stack;
        try {
            stack = start(options, true);
        } catch (RuntimeException e) {
            Files.deleteIfExists(pidFile);
            System.err.println("The local stack did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping the local stack...");
            stack.close();
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException ignored) {
                // nothing left to clean
            }
            stopped.countDown();
        }, "local-stack-stop"));
        // an emulator that keeps dying leaves a stack that only looks alive: say so and stop it all
        stack.emulators().supervise(reason -> {
            System.err.println("\nThe local stack cannot go on: " + reason + ". Stopping it; `make run` starts it again.");
            System.exit(1);
        });
        System.out.println(banner(stack.info(), (System.nanoTime() - started) / 1e9));
        stopped.await();
    }

    private static Long runningPid(Path pidFile) throws IOException {
        if (!Files.isRegularFile(pidFile)) return null;
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> pid).orElse(null);
        } catch (NumberFormatException garbage) {
            return null;
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    static String banner(StackFile info, double seconds) {
        var ana = info.user("ana.lopez");
        String issued = info.demoKeys().stream().filter(k -> k.status().equals("ISSUED")).map(DemoData.DemoKey::key)
                .filter(k -> !k.equals(DemoData.SAMPLE_KEY)).findFirst().orElse(DemoData.SAMPLE_KEY);
        StringBuilder out = new StringBuilder();
        out.append("\nPrepaid key activation service: local stack ready in %.1f s%n%n".formatted(seconds));
        out.append("  Desk      %s/   (the distributor desk: sign in in a browser)%n".formatted(info.apiUrl()));
        out.append("  API       %s   (routes of template.yaml; send a Cognito ID token; contract at /openapi.yaml)%n".formatted(info.apiUrl()));
        out.append("  Inbox     %s   (every email sent)%n".formatted(info.ses().inboxUrl()));
        out.append("  Cognito   %s   pool %s, app client %s%n".formatted(info.cognito().endpoint(), info.cognito().userPoolId(),
                info.cognito().clientId()));
        out.append("  DynamoDB  %s   table %s (data kept in .local/; `make reset` wipes it)%n".formatted(info.dynamodb().endpoint(),
                info.dynamodb().tableName()));
        out.append(("  Lambda    the functions of template.yaml from .aws-sam/build, each started on first use under the runtime%n"
                + "            emulator and Java runtime client; logs and REPORT lines in .local/logs/functions/%n%n").formatted());
        out.append("  Users (password %s):%n".formatted(DemoData.PASSWORD));
        for (var user : DemoData.USERS) {
            out.append("    %-14s %-13s %s%n".formatted(user.username(), String.join(",", user.groups()),
                    user.distributorId() == null ? "the vendor's back office" : user.distributorName() + " (" + user.distributorId() + ")"));
        }
        out.append("%n  Sign in as ana.lopez and capture a demo key:%n%n".formatted());
        out.append(("    TOKEN=$(curl -s %s/ -H 'content-type: application/x-amz-json-1.1' "
                + "-H 'x-amz-target: AWSCognitoIdentityProviderService.InitiateAuth' "
                + "-d '{\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"ClientId\":\"%s\",\"AuthParameters\":{\"USERNAME\":\"%s\",\"PASSWORD\":\"%s\"}}' "
                + "| sed -E 's/.*\"IdToken\":\"([^\"]+)\".*/\\1/') && curl -s %s/v1/prepaid-keys/capture "
                + "-H \"authorization: Bearer $TOKEN\" -H 'content-type: application/json' -d '{\"key\":\"%s\"}'%n%n")
                .formatted(info.cognito().endpoint(), info.cognito().clientId(), ana.username(), ana.password(), info.apiUrl(), issued));
        out.append("  Demo keys, users and endpoints: .local/stack.json.  `make token USER=ana.lopez` prints a token.%n".formatted());
        out.append("  Stop with Ctrl-C (or `make stop` from another terminal).%n".formatted());
        return out.toString();
    }
}
