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
 *   <li>SESv2: aws-ses-v2-local, whose {@code /store} holds every email sent.</li>
 * </ul>
 * Tests start one set per run; the local stack starts one and keeps its data under {@code .local/}.
 * docs/architecture.md says why dynoxide and not Amazon's DynamoDB Local.
 */
public final class Emulators implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final ManagedProcess dynamoDb;
    private final ManagedProcess ses;

    private Emulators(ManagedProcess dynamoDb, ManagedProcess ses) {
        this.dynamoDb = dynamoDb;
        this.ses = ses;
    }

    /**
     * @param root      the repository (where {@code node_modules} is)
     * @param stateDir  where logs (and the DynamoDB file, if any) go
     * @param dynamoDbFile a SQLite file to keep data between runs, or null for in-memory
     */
    public static Emulators start(Path root, Path stateDir, Path dynamoDbFile, int dynamoDbPort, int sesPort) {
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
        Emulators emulators = new Emulators(dynamo, ses);
        try {
            dynamo.start(START_TIMEOUT);
            ses.start(START_TIMEOUT);
        } catch (RuntimeException e) {
            emulators.close();
            throw e;
        }
        return emulators;
    }

    /** Both on free ports, DynamoDB in memory: what a test run needs. */
    public static Emulators startForTests(Path root, Path stateDir) {
        return start(root, stateDir, null, freePort(), freePort());
    }

    public URI dynamoDbEndpoint() {
        return dynamoDb.endpoint();
    }

    public URI sesEndpoint() {
        return ses.endpoint();
    }

    /** SES as a process, so that fault tests can stop it and start it again on the same port. */
    public ManagedProcess ses() {
        return ses;
    }

    public ManagedProcess dynamoDb() {
        return dynamoDb;
    }

    @Override
    public void close() {
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

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
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
