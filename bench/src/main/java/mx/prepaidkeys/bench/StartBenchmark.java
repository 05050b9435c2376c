package mx.prepaidkeys.bench;

import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import mx.prepaidkeys.backoffice.Batches;
import mx.prepaidkeys.domain.Activation;
import mx.prepaidkeys.domain.ConfirmationEmail;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.store.DynamoEmailOutbox;
import mx.prepaidkeys.domain.BackOfficeUser;
import mx.prepaidkeys.domain.KeyHasher;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.domain.UserId;
import mx.prepaidkeys.local.DemoData;
import mx.prepaidkeys.local.DevStack;
import mx.prepaidkeys.local.Emulators;
import mx.prepaidkeys.local.SamTemplate;
import mx.prepaidkeys.local.runtime.FunctionSpec;
import mx.prepaidkeys.local.runtime.LambdaRuntime;
import mx.prepaidkeys.local.runtime.RuntimeTools;
import mx.prepaidkeys.log.JsonLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code make bench}: every function of template.yaml against its plain-Java floor ({@link Floors}),
 * in one run, on dynoxide and aws-ses-v2-local:
 * <ul>
 *   <li>cold: what Lambda charges, through the local Lambda runtime: a new instance of the function's
 *   {@code sam build} artifact (and of the floor, run the same way by the same runtime client) under
 *   the Runtime Interface Emulator, from its process start to the first answer; median of
 *   {@code STARTS}, split into the start of the emulator and JVM, the init and the first invoke as
 *   the runtime reports them, with the instance's memory high-water mark;</li>
 *   <li>primed: the first invoke after the function's SnapStart priming ran in its init, in a fresh
 *   JVM with the runtime's flags on the deployment classpath ({@link Launcher});</li>
 *   <li>warm: p50 and p99 of {@code WARM} invokes after a warm-up, in one such JVM; classes loaded then;</li>
 *   <li>the deployment zip's size.</li>
 * </ul>
 * Prints a table with the ratios to the floor and writes it to bench/results.md.
 */
public final class StartBenchmark {
    /** The java21 runtime's JVM flags at 1024 MB (the local runtime's), plus the template's JAVA_TOOL_OPTIONS (C1 only). */
    static final List<String> LAMBDA_FLAGS = java.util.stream.Stream.concat(FunctionSpec.jvmFlags(1024).stream(),
            java.util.stream.Stream.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1")).toList();
    private static final Pattern SAMPLE_KEY = Pattern.compile(Pattern.quote(DemoData.SAMPLE_KEY));
    /** The ids events/ name: DemoData's held key (activated by ana.lopez) and spare key, under the local pepper. */
    private static final String HELD_KEY_ID = "q7b1jqq7yhrsdwcsx81g8dx9z8";
    private static final String SPARE_KEY_ID = "1449k1hftfvn01sd8zr6v772km";

    private final Path root = Emulators.repositoryRoot();
    private final int starts;
    private final int warm;
    private final Map<String, String> environment = new HashMap<>();
    private final Pools pools;
    private final Path work;
    private final RuntimeTools tools = RuntimeTools.find(Emulators.repositoryRoot());

    private StartBenchmark(int starts, int warm, Map<String, String> environment, Pools pools, Path work) {
        this.starts = starts;
        this.warm = warm;
        this.environment.putAll(environment);
        this.pools = pools;
        this.work = work;
    }

    record Start(double jvmMs, double initMs, double firstMs, double totalMs, int classes, long rssKb) {}

    record Row(String function, Start functionCold, Start floorCold, double primingMs, double primedFirstMs, double p50Ms, double p99Ms,
               double floorP50Ms, double floorP99Ms, double zipMb, int failures) {}

    public static void main(String[] args) throws Exception {
        int starts = Integer.parseInt(System.getenv().getOrDefault("STARTS", "10"));
        int warm = Integer.parseInt(System.getenv().getOrDefault("WARM", "2000"));
        String only = System.getenv().getOrDefault("FN", "");
        Path root = Emulators.repositoryRoot();
        Path state = Files.createTempDirectory("bench-start");
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        JsonLog.redirect(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        List<SamTemplate.Function> functions = SamTemplate.load(root.resolve("template.yaml")).functions().stream()
                .filter(f -> only.isEmpty() || Arrays.asList(only.split(",")).contains(f.logicalId())).toList();
        int perVariant = starts + (starts / 2) + warm + Math.min(200, warm / 10) + 5;
        int[] ports = Emulators.freePorts(2);
        try (Emulators emulators = Emulators.start(root, state, null, ports[0], ports[1])) {
            String table = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            Map<String, String> environment = new HashMap<>(Map.of(
                    "TABLE_NAME", table, "KEY_PEPPER", DevStack.LOCAL_PEPPER, "AWS_REGION", "us-east-1",
                    "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local",
                    "DYNAMODB_ENDPOINT", emulators.dynamoDbEndpoint().toString(), "SES_ENDPOINT", emulators.sesEndpoint().toString(),
                    "SENDER_ADDRESS", "claves-prepago@vendor.example", "DESK_URL", "http://127.0.0.1:3000/"));
            environment.put("DEAD_LETTER_QUEUE_URL", "");
            // a user pool of the bench's own, for the function that lists a distributor's users
            try (var cognito = new mx.prepaidkeys.local.LocalCognito(emulators.cognitoEndpoint())) {
                environment.put("COGNITO_ENDPOINT", emulators.cognitoEndpoint().toString());
                environment.put("USER_POOL_ID", cognito.ensurePool("bench", null).userPoolId());
            }
            long seeding = System.nanoTime();
            Pools pools = Pools.seed(emulators, table, functions, 2 * perVariant);
            System.out.printf("seeded the table for %d functions in %.1f s%n", functions.size(), (System.nanoTime() - seeding) / 1e9);
            new StartBenchmark(starts, warm, environment, pools, state).run(functions, only.isEmpty() && starts >= 10 && warm >= 2000);
        }
    }

    /** @param full every function with the documented counts: only such a run replaces bench/results.md */
    private void run(List<SamTemplate.Function> functions, boolean full) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (var function : functions) {
            long began = System.nanoTime();
            Row row;
            try {
                row = measure(function);
            } catch (RuntimeException e) {
                // one function's failure does not cost the figures of the others
                System.out.println("  " + function.logicalId() + " could not be measured: " + e.getMessage());
                continue;
            }
            rows.add(row);
            System.out.printf("  %-22s cold %7.0f ms (floor %5.0f)  priming %5.0f ms, primed 1st %6.1f ms  warm p50 %6.2f ms (floor %5.2f)  [%.0f s]%n",
                    function.logicalId(), row.functionCold().totalMs(), row.floorCold().totalMs(), row.primingMs(), row.primedFirstMs(), row.p50Ms(),
                    row.floorP50Ms(), (System.nanoTime() - began) / 1e9);
        }
        String table = table(rows);
        System.out.println();
        System.out.println(table);
        if (full) {
            Files.writeString(root.resolve("bench/results.md"), results(table));
            System.out.println("written to bench/results.md");
        } else {
            // a narrowed run is for a question at hand; the committed table stays the full one
            System.out.println("bench/results.md kept: FN, STARTS or WARM narrowed this run");
        }
    }

    private Row measure(SamTemplate.Function function) throws Exception {
        List<Path> jars = deploymentJars(function.logicalId());
        String classpath = classpath(jars);
        FunctionSpec spec = FunctionSpec.of(function, root.resolve(".aws-sam/build"), DevStack.overlay(function,
                java.net.URI.create(environment.get("DYNAMODB_ENDPOINT")), java.net.URI.create(environment.get("SES_ENDPOINT")),
                environment.get("TABLE_NAME"), "http://127.0.0.1:3000", environment.get("COGNITO_ENDPOINT"), environment.get("USER_POOL_ID")),
                "us-east-1");
        FunctionSpec floorSpec = spec.withCode(floorArtifact(function.logicalId(), jars),
                FloorHandlers.class.getName() + "$" + (function.streams().isEmpty() ? "Api" : "Stream"), Map.of("BENCH_FLOOR", function.logicalId()));
        List<Start> functionCold = new ArrayList<>();
        List<Start> floorCold = new ArrayList<>();
        List<Double> primed = new ArrayList<>();
        List<Double> priming = new ArrayList<>();
        int failures = 0;
        for (int i = 0; i < starts; i++) {
            // interleaved, so that a noisy neighbour hurts both sides alike
            Result f = coldThroughRuntime(spec, function.logicalId());
            Result floor = coldThroughRuntime(floorSpec, function.logicalId());
            functionCold.add(f.start());
            floorCold.add(floor.start());
            failures += f.failures() + floor.failures();
            if (i % 2 == 0) {
                Result p = launch(classpath, "function", function, "primed", 1);
                primed.add(p.firstMs());
                priming.add(p.primingMs());
                failures += p.failures();
            }
        }
        int invokes = warm + Math.min(200, warm / 10);
        Result functionWarm = launch(classpath, "function", function, "warm", invokes);
        Result floorWarm = launch(classpath, "floor", function, "warm", invokes);
        failures += functionWarm.failures() + floorWarm.failures();
        return new Row(function.logicalId(), withClasses(medianStart(functionCold), functionWarm), withClasses(medianStart(floorCold), floorWarm),
                median(priming), median(primed), functionWarm.p50Ms(), functionWarm.p99Ms(), floorWarm.p50Ms(), floorWarm.p99Ms(), zipMb(jars),
                failures);
    }

    /**
     * A cold start as Lambda charges it: a new instance of the built artifact under the Runtime
     * Interface Emulator and the Java runtime client, from the emulator's process start to the first
     * answer (split into the emulator and JVM start, the init the runtime reports, the first invoke).
     */
    private Result coldThroughRuntime(FunctionSpec spec, String logicalId) {
        byte[] event = pools.events(logicalId, 1).getFirst().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var cold = LambdaRuntime.coldStart(spec, tools, event);
        var report = cold.invocation().report();
        int failures = 0;
        if (!cold.invocation().answered() || cold.invocation().payloadText().matches("(?s)\\{\"statusCode\":[3-5].*")) {
            failures = 1;
            System.out.println("    " + spec.logicalId() + " (" + spec.handler() + ") cold: " + cold.invocation().outcome() + " "
                    + cold.invocation().payloadText().substring(0, Math.min(300, cold.invocation().payloadText().length())));
        }
        double rest = cold.wallMs() - report.initMs() - report.durationMs();
        return new Result(new Start(rest, report.initMs(), report.durationMs(), cold.wallMs(), -1, report.maxMemoryMb() * 1024),
                0, report.durationMs(), 0, 0, failures);
    }

    /** Classes loaded are read inside the JVM: the warm run's count (after every invoke) stands for the function's. */
    private static Start withClasses(Start cold, Result warmRun) {
        return new Start(cold.jvmMs(), cold.initMs(), cold.firstMs(), cold.totalMs(), warmRun.start().classes(), cold.rssKb());
    }

    /** A task root for the floor: the function's own jars (so both load the same SDK and core) and the benchmark's. */
    private Path floorArtifact(String logicalId, List<Path> jars) throws IOException {
        Path lib = work.resolve("floors").resolve(logicalId).resolve("lib");
        Files.createDirectories(lib);
        for (Path jar : jars) Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar.toAbsolutePath());
        try (var built = Files.list(root.resolve("bench/target"))) {
            Path benchJar = built.filter(p -> p.getFileName().toString().matches("bench-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("bench/target has no jar: run make bench"));
            Files.createSymbolicLink(lib.resolve(benchJar.getFileName()), benchJar.toAbsolutePath());
        }
        return lib.getParent();
    }

    record Result(Start start, double primingMs, double firstMs, double p50Ms, double p99Ms, int failures) {}

    private Result launch(String classpath, String variant, SamTemplate.Function function, String mode, int invokes) throws Exception {
        Path events = work.resolve(function.logicalId() + "-" + variant + "-" + mode + "-" + System.nanoTime() + ".jsonl");
        Files.write(events, pools.events(function.logicalId(), invokes));
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(LAMBDA_FLAGS);
        // e.g. BENCH_PROFILE=-XX:StartFlightRecording=filename=/tmp/warm-%p.jfr: profiles of both warm runs (function, then floor)
        String profile = System.getenv("BENCH_PROFILE");
        if (profile != null && !profile.isBlank() && mode.equals("warm")) command.add(profile);
        // e.g. BENCH_PRIMED_FLAGS=-Xlog:class+load:file=/tmp/cl.txt:uptime: what a primed first invoke still loads
        String primedFlags = System.getenv("BENCH_PRIMED_FLAGS");
        if (primedFlags != null && !primedFlags.isBlank() && mode.equals("primed")) command.add(primedFlags);
        command.addAll(List.of("-cp", classpath, Launcher.class.getName(), variant, function.logicalId(), function.handlerClass(), mode,
                events.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.redirectErrorStream(true);
        long spawnAt = System.nanoTime();
        Process process = builder.start();
        String output = drain(process.getInputStream());
        int exit = process.waitFor();
        Files.deleteIfExists(events);
        Matcher line = Pattern.compile("BENCH (\\{.*})").matcher(output);
        if (exit != 0 || !line.find()) {
            throw new IllegalStateException(function.logicalId() + " " + variant + " " + mode + " exited " + exit + ":\n"
                    + output.substring(Math.max(0, output.length() - 4000)));
        }
        Map<String, Long> n = numbers(line.group(1));
        double jvm = (n.get("mainAt") - spawnAt) / 1e6;
        double init = (n.get("initAt") - n.get("mainAt")) / 1e6;
        double first = n.get("firstInvokeNanos") / 1e6;
        int failures = n.get("failures").intValue();
        if (failures > 0) System.out.println("    " + function.logicalId() + " " + variant + " " + mode + ": " + failures
                + " answers were not 2xx: " + tail(output));
        return new Result(new Start(jvm, init, first, jvm + init + first, n.get("classes").intValue(), n.get("rssKb")),
                (n.get("primedAt") - n.get("initAt")) / 1e6, first,
                n.get("p50Nanos") / 1e6, n.get("p99Nanos") / 1e6, failures);
    }

    private static String tail(String output) {
        int at = output.indexOf(" answered ");
        return at < 0 ? "" : output.substring(Math.max(0, output.lastIndexOf('\n', at) + 1), Math.min(output.length(), at + 300));
    }

    private static Map<String, Long> numbers(String json) {
        Map<String, Long> values = new HashMap<>();
        Matcher m = Pattern.compile("\"(\\w+)\":(-?\\d+)").matcher(json);
        while (m.find()) values.put(m.group(1), Long.parseLong(m.group(2)));
        return values;
    }

    private static String drain(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The function's deployment package as `sam build` made it (what its zip holds). */
    private List<Path> deploymentJars(String logicalId) throws IOException {
        Path lib = root.resolve(".aws-sam/build").resolve(logicalId).resolve("lib");
        if (!Files.isDirectory(lib)) throw new IllegalStateException(logicalId + " is not built: run make build");
        try (var files = Files.list(lib)) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    /** The deployment classpath, plus the launcher and the Lambda runtime's event serialiser (the runtime's, not the function's). */
    private String classpath(List<Path> jars) throws IOException {
        List<String> entries = new ArrayList<>();
        jars.forEach(j -> entries.add(j.toString()));
        entries.add(root.resolve("bench/target/classes").toString());
        for (String entry : Files.readString(root.resolve("bench/target/classpath.txt")).trim().split(":")) {
            if (entry.contains("aws-lambda-java-serialization")) entries.add(entry);
        }
        return String.join(":", entries);
    }

    private static double zipMb(List<Path> jars) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(buffer)) {
            for (Path jar : jars) {
                zip.putNextEntry(new ZipEntry("lib/" + jar.getFileName()));
                Files.copy(jar, zip);
                zip.closeEntry();
            }
        }
        return buffer.size() / 1048576.0;
    }

    private static Start medianStart(List<Start> starts) {
        return new Start(median(starts.stream().map(Start::jvmMs).toList()), median(starts.stream().map(Start::initMs).toList()),
                median(starts.stream().map(Start::firstMs).toList()), median(starts.stream().map(Start::totalMs).toList()),
                (int) median(starts.stream().map(s -> (double) s.classes()).toList()),
                (long) median(starts.stream().map(s -> (double) s.rssKb()).toList()));
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) return Double.NaN;
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private String table(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Medians of %d cold starts per side, each a new instance of the built artifact under the Lambda "
                + "Runtime Interface Emulator and the Java runtime client (start: emulator and JVM up to the init; init and 1st: as the "
                + "runtime reports them; RSS: the instance's high-water mark); primed and warm in one JVM as before (issue 22 moves them "
                + "under the runtime); classes after the warm run; warm over %,d invokes; ratios are function / floor.%n%n", starts, warm));
        out.append("| Function | Cold ms (start + init + 1st) | Floor cold ms | Cold ratio | Priming ms | Primed 1st ms | Primed / warm p50 "
                + "| Warm p50 ms | Floor p50 | p50 ratio | Warm p99 ms | p99 / p50 | Classes | Floor classes | Classes ratio "
                + "| RSS MB | Floor RSS | RSS ratio | Zip MB |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            Start f = r.functionCold();
            Start b = r.floorCold();
            out.append(String.format(Locale.ROOT,
                    "| %s | %.0f (%.0f + %.0f + %.0f) | %.0f (%.0f + %.0f + %.0f) | %.2fx | %.0f | %.1f | %.1fx | %.2f | %.2f | %.2fx | %.2f | %.1fx "
                            + "| %,d | %,d | %.2fx | %.0f | %.0f | %.2fx | %.1f |%s%n",
                    r.function(), f.totalMs(), f.jvmMs(), f.initMs(), f.firstMs(), b.totalMs(), b.jvmMs(), b.initMs(), b.firstMs(),
                    f.totalMs() / b.totalMs(), r.primingMs(), r.primedFirstMs(), r.primedFirstMs() / r.p50Ms(), r.p50Ms(), r.floorP50Ms(),
                    r.p50Ms() / r.floorP50Ms(), r.p99Ms(), r.p99Ms() / r.p50Ms(), f.classes(), b.classes(),
                    (double) f.classes() / b.classes(), f.rssKb() / 1024.0, b.rssKb() / 1024.0, (double) f.rssKb() / b.rssKb(), r.zipMb(),
                    r.failures() > 0 ? " " + r.failures() + " non-2xx!" : ""));
        }
        return out.toString();
    }

    private String results(String table) {
        return "# Start-up and latency: every function against its plain-Java floor\n\n"
                + "Written by `make bench` on " + Instant.now().toString().substring(0, 10) + " ("
                + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version") + ", dynoxide and aws-ses-v2-local on loopback). JVM flags of each start: `"
                + String.join(" ", LAMBDA_FLAGS) + "`.\n\n"
                + "Targets (ratios to the floor, same run): cold <= 1.3x; primed first invoke <= 3x warm p50; warm p50 <= 1.2x, "
                + "p99 <= 3x p50; classes <= 1.6x; RSS <= 1.5x; zip <= 20 MB. The floor is described in `Floors.java`; how to read "
                + "the figures, in docs/performance.md.\n\n" + table;
    }

    /** The table's data for the run, and the events that use it: one fresh key, batch or email per write. */
    static final class Pools {
        private final Map<String, List<String>> ids = new HashMap<>();
        private final Map<String, Integer> next = new HashMap<>();
        private final Map<String, String> samples = new HashMap<>();

        static Pools seed(Emulators emulators, String table, List<SamTemplate.Function> functions, int each) throws Exception {
            try (DynamoDbClient dynamo = BenchTable.client(emulators)) {
                BenchTable.create(dynamo, table);
                Map<String, Object> properties = BenchTable.settings(emulators, table);
                Pools pools = new Pools();
                Path events = Emulators.repositoryRoot().resolve("events");
                try (var files = Files.list(events)) {
                    for (Path file : files.sorted().toList()) {
                        String json = Files.readString(file).replace("\n", "");
                        Matcher route = Pattern.compile("\"routeKey\": \"([^\"]+)\"").matcher(json);
                        if (!route.find()) continue;
                        boolean preferred = file.getFileName().toString().contains("-ok");
                        if (preferred || !pools.samples.containsKey(route.group(1))) pools.samples.put(route.group(1), json);
                    }
                }
                try (ApplicationContext context = ApplicationContext.builder().properties(properties).start()) {
                    Map<String, String> subs = new HashMap<>();
                    DemoData.USERS.forEach(u -> subs.put(u.username(), "sub-" + u.username()));
                    DemoData.seed(context, subs);
                    KeyRepository repository = context.getBean(KeyRepository.class);
                    KeyHasher hasher = context.getBean(KeyHasher.class);
                    Product sae = repository.findProduct("SAE-12M").orElseThrow();
                    Instant now = Instant.now();
                    SecureRandom random = new SecureRandom();
                    List<String> names = functions.stream().map(SamTemplate.Function::logicalId).toList();
                    List<PrepaidKey> keys = new ArrayList<>();
                    if (names.contains("ConfirmFunction")) pools.ids.put("ConfirmFunction", issued(keys, hasher, sae, random, each, true));
                    if (names.contains("VoidKeyFunction")) pools.ids.put("VoidKeyFunction", issued(keys, hasher, sae, random, each, false));
                    if (names.contains("AssignFunction")) {
                        List<String> available = new ArrayList<>();
                        for (int i = 0; i < each; i++) {
                            PrepaidKeyCode code = PrepaidKeyCode.generate(random);
                            PrepaidKey key = PrepaidKey.issued(hasher.hash(code).keyId(), code.masked(), sae, null, null)
                                    .activate(new Activation(new DistributorId("dist-norte"), now, new UserId("sub-ana.lopez"),
                                            "ana.lopez@distribuidora-norte.example", "Ana López", sae.license().version(), "189.203.45.10", "bench"), now);
                            keys.add(key);
                            available.add(key.keyId().value());
                        }
                        pools.ids.put("AssignFunction", available);
                    }
                    repository.importKeys(keys);
                    if (names.contains("VoidBatchFunction")) {
                        Batches batches = context.getBean(Batches.class);
                        BackOfficeUser admin = new BackOfficeUser(new UserId("sub-admin"), "mesa.servicios@vendor.example");
                        ExecutorService pool = Executors.newFixedThreadPool(4);
                        List<Future<String>> minted = new ArrayList<>();
                        for (int i = 0; i < each; i++) {
                            minted.add(pool.submit(() -> batches.mint(admin, "SAE-12M", 1, null, "bench").batch().batchId()));
                        }
                        List<String> ids = new ArrayList<>();
                        for (var batch : minted) ids.add(batch.get());
                        pool.shutdown();
                        pools.ids.put("VoidBatchFunction", ids);
                    }
                    DynamoEmailOutbox outbox = context.getBean(DynamoEmailOutbox.class);
                    if (names.contains("ResendEmailFunction")) pools.ids.put("ResendEmailFunction", emails(outbox, each, "SENT"));
                    if (names.contains("NotifierFunction")) pools.ids.put("NotifierFunction", emails(outbox, each, "PENDING"));
                }
                return pools;
            }
        }

        /** ISSUED keys; {@code plain}: the pool holds the keys as typed, otherwise their ids. */
        private static List<String> issued(List<PrepaidKey> keys, KeyHasher hasher, Product product, SecureRandom random, int count,
                                           boolean plain) {
            List<String> pool = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                PrepaidKeyCode code = PrepaidKeyCode.generate(random);
                PrepaidKey key = PrepaidKey.issued(hasher.hash(code).keyId(), code.masked(), product, null, null);
                keys.add(key);
                pool.add(plain ? code.formatted() : key.keyId().value());
            }
            return pool;
        }

        /** Emails owed in a state, for keys that exist only as far as the email is concerned (written by the store). */
        private static List<String> emails(DynamoEmailOutbox outbox, int count, String state) {
            List<String> ids = new ArrayList<>();
            List<ConfirmationEmail> emails = new ArrayList<>();
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < count; i++) {
                // a key id as the service makes them: 26 lowercase Crockford symbols
                StringBuilder id = new StringBuilder(26);
                for (int c = 0; c < 26; c++) id.append("0123456789abcdefghjkmnpqrstvwxyz".charAt(random.nextInt(32)));
                ids.add(id.toString());
                emails.add(new ConfirmationEmail(new KeyId(id.toString()), "ana.lopez@distribuidora-norte.example", "Ana López", "es-MX",
                        "*****-*****-*****-*****-BENCH", "SAE-12M", "Aspel SAE 9.0 (12 meses)", new DistributorId("dist-norte"),
                        Instant.parse("2026-11-25T16:00:00Z"), java.time.LocalDate.parse("2027-11-25")));
            }
            outbox.importEmails(emails, state);
            return ids;
        }

        /** {@code count} events for a function, each with its own key, batch or email where the call writes. */
        List<String> events(String logicalId, int count) {
            List<String> events = new ArrayList<>(count);
            for (int i = 0; i < count; i++) events.add(event(logicalId));
            return events;
        }

        private String event(String logicalId) {
            return switch (logicalId) {
                case "CaptureFunction" -> sample("POST /v1/prepaid-keys/capture");
                case "ConfirmFunction" -> SAMPLE_KEY.matcher(sample("POST /v1/prepaid-keys/confirm"))
                        .replaceAll(Matcher.quoteReplacement(take(logicalId)));
                case "ListFunction" -> sample("GET /v1/prepaid-keys");
                case "HistoryFunction" -> sample("GET /v1/prepaid-keys/{keyId}");
                case "AssignFunction" -> sample("POST /v1/prepaid-keys/{keyId}/assign").replace(HELD_KEY_ID, take(logicalId))
                        .replaceAll(",\\s*\"idempotency-key\": \"[^\"]*\"", "");
                case "SaveProductFunction" -> sample("PUT /v1/admin/products/{sku}");
                case "ListProductsFunction" -> sample("GET /v1/admin/products");
                // a mint requires its own Idempotency-Key: one per invoke, or every invoke would replay the first
                case "MintBatchFunction" -> sample("POST /v1/admin/key-batches").replaceAll("\"idempotency-key\": \"[^\"]*\"",
                        "\"idempotency-key\": \"bench-" + UUID.randomUUID() + "\"");
                case "GetBatchFunction" -> sample("GET /v1/admin/key-batches/{batchId}");
                case "VoidKeyFunction" -> sample("POST /v1/admin/prepaid-keys/{keyId}/void").replace(SPARE_KEY_ID, take(logicalId));
                case "VoidBatchFunction" -> sample("POST /v1/admin/key-batches/{batchId}/void").replace(DemoData.SAMPLE_BATCH, take(logicalId));
                case "AdminKeyFunction" -> sample("GET /v1/admin/prepaid-keys/{keyId}");
                case "FindKeysFunction" -> sample("GET /v1/admin/prepaid-keys");
                case "ListBatchesFunction" -> sample("GET /v1/admin/key-batches");
                case "ListDistributorsFunction" -> sample("GET /v1/admin/distributors");
                case "GetDistributorFunction" -> sample("GET /v1/admin/distributors/{distributorId}");
                case "SaveDistributorFunction" -> sample("PUT /v1/admin/distributors/{distributorId}");
                case "AccountFunction" -> sample("GET /v1/account");
                case "ListAuditFunction" -> sample("GET /v1/admin/audit");
                case "ListDistributorUsersFunction" -> sample("GET /v1/admin/distributors/{distributorId}/users");
                case "ListLockoutsFunction" -> sample("GET /v1/admin/lockouts");
                case "LiftLockoutFunction" -> sample("DELETE /v1/admin/lockouts/{userId}");
                case "ResendEmailFunction" -> sample("POST /v1/admin/prepaid-keys/{keyId}/resend-email").replace(HELD_KEY_ID, take(logicalId))
                        .replaceAll(",\\s*\"idempotency-key\": \"[^\"]*\"", "");
                case "NotifierFunction" -> "{\"Records\":[{\"eventID\":\"1\",\"eventName\":\"MODIFY\",\"eventSource\":\"aws:dynamodb\","
                        + "\"awsRegion\":\"us-east-1\",\"dynamodb\":{\"Keys\":{\"PK\":{\"S\":\"KEY#" + take(logicalId)
                        + "\"},\"SK\":{\"S\":\"EMAIL#ACTIVATION\"}},\"NewImage\":{\"state\":{\"S\":\"PENDING\"}},"
                        + "\"SequenceNumber\":\"1\",\"SizeBytes\":100,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"}}]}";
                case "ReportActivationsFunction" -> sample("GET /v1/admin/reports/activations");
                // a key never counted, each invoke: the tally's transaction, not a redelivery's cancelled one
                case "ReportTallyFunction" -> "{\"Records\":[{\"eventID\":\"1\",\"eventName\":\"MODIFY\",\"eventSource\":\"aws:dynamodb\","
                        + "\"awsRegion\":\"us-east-1\",\"dynamodb\":{\"Keys\":{\"PK\":{\"S\":\"KEY#" + String.format(java.util.Locale.ROOT, "%026d",
                        java.util.concurrent.ThreadLocalRandom.current().nextLong(Long.MAX_VALUE)) + "\"},\"SK\":{\"S\":\"KEY\"}},"
                        + "\"NewImage\":{\"status\":{\"S\":\"AVAILABLE\"},\"distributorId\":{\"S\":\"dist-norte\"},\"productSku\":{\"S\":\"SAE-12M\"},"
                        + "\"activatedAt\":{\"S\":\"2026-11-25T19:37:12.345Z\"}},"
                        + "\"SequenceNumber\":\"1\",\"SizeBytes\":100,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"}}]}";
                default -> throw new IllegalArgumentException("no workload for " + logicalId);
            };
        }

        private String sample(String routeKey) {
            String json = samples.get(routeKey);
            if (json == null) throw new IllegalStateException("no sample event for " + routeKey);
            return json;
        }

        private String take(String logicalId) {
            List<String> pool = ids.get(logicalId);
            int at = next.merge(logicalId, 1, Integer::sum) - 1;
            if (at >= pool.size()) throw new IllegalStateException("the " + logicalId + " pool ran out");
            return pool.get(at);
        }
    }
}
