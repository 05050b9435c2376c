package mx.prepaidkeys.local.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipFile;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The two pieces that run a function as Lambda's java21 runtime runs it, both installed from the
 * project's own files by {@code make}: the Runtime Interface Emulator (a Go module pinned in
 * {@code local/lambda-runtime/go.mod}, built into {@code .tools/bin}) and the Java runtime
 * interface client (pinned in {@code local/lambda-runtime/pom.xml}, its jars in that module's
 * {@code target/lib}); and the JDK that runs the client.
 *
 * @param emulator      the {@code aws-lambda-rie} binary
 * @param runtimeJars   the runtime interface client and its dependencies: the JVM's whole class path
 * @param java          the {@code java} launcher (this JVM's own unless told otherwise)
 * @param nativeClient  the client's JNI library, unpacked once (see {@link #unpackNativeClient})
 */
public record RuntimeTools(Path emulator, List<Path> runtimeJars, Path java, Path nativeClient) {
    /** The client reads its JNI library from here instead of unpacking it to its fixed path in /tmp. */
    static final String NATIVE_CLIENT_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    public static RuntimeTools find(Path root) {
        Path emulator = Path.of(System.getenv().getOrDefault("AWS_LAMBDA_RIE", root.resolve(".tools/bin/aws-lambda-rie").toString()));
        if (!Files.isExecutable(emulator)) {
            throw new IllegalStateException("the Lambda Runtime Interface Emulator is not built at " + emulator
                    + ": run `make lambda-runtime` (a Go module, local/lambda-runtime/go.mod), or set AWS_LAMBDA_RIE");
        }
        Path lib = root.resolve("local/lambda-runtime/target/lib");
        List<Path> jars;
        try (Stream<Path> files = Files.isDirectory(lib) ? Files.list(lib) : Stream.empty()) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + lib, e);
        }
        if (jars.stream().noneMatch(j -> j.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))) {
            throw new IllegalStateException("the Java runtime interface client is not in " + lib + ": run `make lambda-runtime`");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path client = jars.stream().filter(j -> j.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client")).findFirst()
                .orElseThrow();
        return new RuntimeTools(emulator, jars, java, unpackNativeClient(client, lib.resolveSibling("jni")));
    }

    /**
     * The client unpacks its JNI library to one fixed path, {@code /tmp/.libaws-lambda-jni.so}, at
     * every start: in Lambda each instance has a /tmp of its own; here, JVMs starting side by side
     * overwrite the file another is loading, and crash (SIGBUS). It is unpacked once, beside the
     * jars, and each JVM is pointed at it ({@link #NATIVE_CLIENT_PROPERTY}).
     */
    private static Path unpackNativeClient(Path clientJar, Path dir) {
        String arch = System.getProperty("os.arch").matches("aarch64|arm64") ? "aarch_64" : "x86_64";
        String name = "libaws-lambda-jni.linux-" + arch + ".so";
        Path target = dir.resolve(name);
        try {
            if (Files.isRegularFile(target) && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(clientJar)) >= 0) return target;
            Files.createDirectories(dir);
            try (var jar = new ZipFile(clientJar.toFile())) {
                var entry = jar.getEntry("jni/" + name);
                if (entry == null) throw new IllegalStateException(clientJar + " has no jni/" + name);
                Path partial = Files.createTempFile(dir, name, ".partial");
                try (var in = jar.getInputStream(entry)) {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return target;
        } catch (IOException e) {
            throw new IllegalStateException("cannot unpack the runtime client's JNI library from " + clientJar, e);
        }
    }

    String classPath() {
        return String.join(":", runtimeJars.stream().map(Path::toString).toList());
    }
}
