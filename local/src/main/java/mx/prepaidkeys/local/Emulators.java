package mx.prepaidkeys.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The AWS stand-ins this project runs on, as real processes on loopback ports:
 * <ul>
 *   <li>DynamoDB: dynoxide (MIT/Apache-2.0, from npm), in memory or in a file;</li>
 *   <li>SESv2: aws-ses-v2-local, whose {@code /store} holds every email sent;</li>
 *   <li>Cognito: cognito-local, for the local stack's sign-in.</li>
 * </ul>
 * The local stack starts one set ({@link DevStack}); a test run starts one local stack.
 * docs/architecture.md says why dynoxide and not Amazon's DynamoDB Local.
 */
public final class Emulators implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final ManagedProcess dynamoDb;
    private final ManagedProcess ses;
    private final ManagedProcess cognito;

    private Emulators(ManagedProcess dynamoDb, ManagedProcess ses, ManagedProcess cognito) {
        this.dynamoDb = dynamoDb;
        this.ses = ses;
        this.cognito = cognito;
    }

    /**
     * @param root      the repository (where {@code node_modules} is)
     * @param stateDir  where logs (and the DynamoDB file, if any) go
     * @param dynamoDbFile a SQLite file to keep data between runs, or null for in-memory
     */
    public static Emulators start(Path root, Path stateDir, Path dynamoDbFile, int dynamoDbPort, int sesPort) {
        return start(root, stateDir, dynamoDbFile, dynamoDbPort, sesPort, 0);
    }

    /**
     * @param cognitoPort where cognito-local listens (its state is kept in {@code stateDir/cognito}),
     *                    or 0 for no Cognito
     */
    public static Emulators start(Path root, Path stateDir, Path dynamoDbFile, int dynamoDbPort, int sesPort, int cognitoPort) {
        List<String> dynamoCommand = new ArrayList<>(List.of(dynoxide(root).toString(), "serve", "--host", "127.0.0.1",
                "--port", Integer.toString(dynamoDbPort)));
        if (dynamoDbFile != null) {
            dynamoCommand.add("--db-path");
            dynamoCommand.add(dynamoDbFile.toAbsolutePath().toString());
        }
        // Any HTTP answer means it serves; dynoxide refuses an unsigned GET with 4xx.
        ManagedProcess dynamo = new ManagedProcess("dynoxide", dynamoCommand, stateDir, stateDir.resolve("logs/dynamodb.log"),
                dynamoDbPort, "/", status -> status > 0);
        ManagedProcess ses = new ManagedProcess("aws-ses-v2-local",
                List.of("node", nodeTool(root, "aws-ses-v2-local/dist/cli.js").toString(), "--host", "127.0.0.1",
                        "--port", Integer.toString(sesPort)),
                stateDir, stateDir.resolve("logs/ses.log"), sesPort, "/store", status -> status == 200);
        ManagedProcess cognito = cognitoPort == 0 ? null : cognito(root, stateDir, cognitoPort);
        Emulators emulators = new Emulators(dynamo, ses, cognito);
        try {
            dynamo.start(START_TIMEOUT);
            ses.start(START_TIMEOUT);
            if (cognito != null) cognito.start(START_TIMEOUT);
        } catch (RuntimeException e) {
            emulators.close();
            throw e;
        }
        return emulators;
    }

    public URI dynamoDbEndpoint() {
        return dynamoDb.endpoint();
    }

    public URI sesEndpoint() {
        return ses.endpoint();
    }

    public URI cognitoEndpoint() {
        if (cognito == null) throw new IllegalStateException("started without Cognito");
        return cognito.endpoint();
    }

    /** cognito-local keeps its pools in {@code ./.cognito}; its tokens name this issuer domain. */
    private static ManagedProcess cognito(Path root, Path stateDir, int port) {
        Path home = stateDir.resolve("cognito");
        try {
            java.nio.file.Files.createDirectories(home.resolve(".cognito"));
            java.nio.file.Files.writeString(home.resolve(".cognito/config.json"),
                    "{\"TokenConfig\": {\"IssuerDomain\": \"http://127.0.0.1:" + port + "\"},"
                    // cognito-local makes every pool sign in by email unless told otherwise; ours sign in by username
                    + " \"UserPoolDefaults\": {\"UsernameAttributes\": []}}\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + home, e);
        }
        return new ManagedProcess("cognito-local", List.of("node", nodeTool(root, "cognito-local/lib/bin/start.js").toString()),
                java.util.Map.of("PORT", Integer.toString(port), "HOST", "127.0.0.1"), home, stateDir.resolve("logs/cognito.log"),
                port, "/health", status -> status == 200);
    }

    /** SES as a process, so that fault tests can stop it and start it again on the same port. */
    public ManagedProcess ses() {
        return ses;
    }

    public ManagedProcess dynamoDb() {
        return dynamoDb;
    }

    /** Every emulator is started again when it dies; {@code giveUp} hears when one cannot be. */
    public Emulators supervise(java.util.function.Consumer<String> giveUp) {
        processes().forEach(process -> process.supervise(giveUp));
        return this;
    }

    /** The running processes, for `make stop` to find them should this JVM be killed. */
    public List<ManagedProcess> processes() {
        return cognito == null ? List.of(dynamoDb, ses) : List.of(dynamoDb, ses, cognito);
    }

    @Override
    public void close() {
        if (cognito != null) cognito.stop();
        ses.stop();
        dynamoDb.stop();
    }

    static Path dynoxide(Path root) {
        String override = System.getenv("DYNOXIDE_BIN");
        if (override != null && !override.isBlank()) return Path.of(override);
        Path binary = root.resolve("node_modules/@dynoxide/linux-x64/dynoxide");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("dynoxide is not installed at " + binary + ". Run `npm ci` in " + root
                    + " (make does it). On a machine other than Linux x64, install dynoxide yourself"
                    + " (`cargo install dynoxide-rs`) and set DYNOXIDE_BIN to its path.");
        }
        return binary;
    }

    static Path nodeTool(Path root, String relative) {
        Path tool = root.resolve("node_modules").resolve(relative);
        if (!Files.isRegularFile(tool)) {
            throw new IllegalStateException(relative + " is not installed. Run `npm ci` in " + root + " (make does it).");
        }
        return tool;
    }

    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Distinct free loopback ports below the kernel's ephemeral range (32768 and up on Linux): a port
     * from that range can be taken, between choosing it and binding it, as the source port of any
     * outgoing connection, such as the SDK's to an emulator.
     */
    public static int[] freePorts(int count) {
        java.util.Random random = new java.util.Random();
        java.util.Set<Integer> chosen = new java.util.LinkedHashSet<>();
        for (int attempt = 0; chosen.size() < count && attempt < 1000; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            // A port is free until its server binds it: two instances starting side by side could both
            // be handed it, and the one whose emulator lost the bind then sent its requests to the
            // other's (a 502 in a 64-request burst). Never the same port twice in this JVM.
            if (chosen.contains(port) || !HANDED_OUT.add(port)) continue;
            try (ServerSocket socket = new ServerSocket(port, 0, java.net.InetAddress.getLoopbackAddress())) {
                chosen.add(port);
            } catch (IOException inUse) {
                // try another
            }
        }
        if (chosen.size() < count) throw new IllegalStateException("no " + count + " free ports between 20000 and 32000");
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The repository root: the {@code repo.root} system property when the build sets it, otherwise
     * the nearest parent of the working directory holding {@code package.json} and {@code mvnw}.
     */
    public static Path repositoryRoot() {
        String property = System.getProperty("repo.root");
        if (property != null && !property.isBlank()) return Path.of(property).toAbsolutePath();
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("package.json")) && Files.isRegularFile(dir.resolve("mvnw"))) return dir;
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
    }
}
