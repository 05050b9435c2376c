package mx.prepaidkeys.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mx.prepaidkeys.local.Emulators;
import mx.prepaidkeys.local.runtime.Invocation.Outcome;

/**
 * One execution environment of a function: the Runtime Interface Emulator with the Java runtime
 * interface client under it, in processes of their own. Like a Lambda instance it serves one
 * request at a time; the emulator starts the JVM (the function's init) on the first request.
 */
final class FunctionInstance implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    /** Every instance not closed yet: whichever way this JVM ends, no function process outlives it. */
    private static final Set<FunctionInstance> LIVE = ConcurrentHashMap.newKeySet();
    /** What the emulator's own log says about the invocation under way (its format is pinned with its version). */
    private static final Pattern INIT_REPORT = Pattern.compile("\\(rapid\\) INIT REPORT\\(durationMs: ([0-9.]+)\\)");
    private static final Pattern INIT_DONE = Pattern.compile("\\(rapid\\) INIT RTDONE\\(status: (\\w+)\\)");
    private static final Pattern INVOKE_DONE = Pattern.compile("\\(rapid\\) INVOKE RTDONE\\(.*duration: ([0-9.]+)ms\\)");
    private static final Pattern EMULATOR_REPORT = Pattern.compile("^REPORT RequestId: (\\S+)");
    private static final Pattern RAPID_INFO = Pattern.compile("^\\d{2} \\w{3} \\d{4} [0-9:,]+ \\[INFO\\] \\(rapid\\)");

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(FunctionInstance::close), "lambda-instances-stop"));
    }

    private final FunctionSpec spec;
    private final int number;
    private final Process emulator;
    private final URI invokeUri;
    private final LogSink log;
    private final Thread pump;
    // What the pump has read for the invocation under way; one invocation at a time per instance.
    private volatile double initMs;
    private volatile double invokeMs;
    private volatile boolean initialised;
    /** When the pump saw the init end ({@code System.nanoTime}): the invocation's timeout starts there. */
    private volatile long initDoneAt;
    private volatile String awaitedRequestId;
    private volatile CountDownLatch reported = new CountDownLatch(0);
    /** When the last answer arrived ({@code System.nanoTime}), before the REPORT line was read. */
    private volatile long answeredAt;

    /** Where a function's output goes: its log, and whoever listens (the console, tests). */
    interface LogSink {
        void line(FunctionSpec function, int instance, String line);
    }

    private FunctionInstance(FunctionSpec spec, int number, Process emulator, int port, LogSink log) {
        this.spec = spec;
        this.number = number;
        this.emulator = emulator;
        this.invokeUri = URI.create("http://127.0.0.1:" + port + "/2015-03-31/functions/function/invocations");
        this.log = log;
        this.pump = new Thread(this::pumpOutput, spec.logicalId() + "#" + number + "-log");
        pump.setDaemon(true);
        pump.start();
    }

    static FunctionInstance start(FunctionSpec spec, int number, RuntimeTools tools, LogSink log) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int[] ports = Emulators.freePorts(2);
            List<String> command = new ArrayList<>(List.of(tools.emulator().toString(),
                    "--runtime-interface-emulator-address", "127.0.0.1:" + ports[0],
                    "--runtime-api-address", "127.0.0.1:" + ports[1]));
            command.addAll(spec.runtimeCommand(tools));
            ProcessBuilder builder = new ProcessBuilder(command).directory(spec.taskRoot().toFile()).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(spec.emulatorEnvironment());
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start " + tools.emulator() + " for " + spec.logicalId() + ": " + e.getMessage(), e);
            }
            FunctionInstance instance = new FunctionInstance(spec, number, process, ports[0], log);
            LIVE.add(instance);
            try {
                instance.awaitListening(Duration.ofSeconds(10));
                return instance;
            } catch (IllegalStateException e) {
                // another process took a port between choosing and binding it: try others
                instance.close();
                last = e;
            }
        }
        throw last;
    }

    private void awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!emulator.isAlive()) throw new IllegalStateException(spec.logicalId() + "'s emulator exited with " + emulator.exitValue());
            try (Socket ignored = new Socket("127.0.0.1", invokeUri.getPort())) {
                // an emulator that could not bind one of its ports exits at once: whatever answered is another's
                sleep(50);
                if (!emulator.isAlive()) throw new IllegalStateException(spec.logicalId() + "'s emulator exited with " + emulator.exitValue());
                return;
            } catch (IOException notYet) {
                sleep(10);
            }
        }
        throw new IllegalStateException(spec.logicalId() + "'s emulator did not listen within " + timeout.toSeconds() + " s");
    }

    int number() {
        return number;
    }

    /** False once the emulator or the function's JVM is gone: the pool replaces it. */
    boolean alive() {
        if (!emulator.isAlive()) return false;
        // Before the first request there is no JVM yet; after it there must be one.
        return !initialised || emulator.toHandle().children().findAny().isPresent();
    }

    /** Sends one event, waits for the answer (or the timeout), and reports as Lambda would. */
    Invocation invoke(String requestId, byte[] event) {
        initMs = 0;
        invokeMs = -1;
        awaitedRequestId = requestId;
        reported = new CountDownLatch(1);
        long started = System.nanoTime();
        boolean warm = initialised;
        Outcome outcome;
        byte[] payload;
        // The emulator's own cut-off comes INIT_SECONDS later: the function's timeout is kept here, as
        // Lambda keeps it, from the end of the init (or from the request, on a warm instance).
        HttpRequest request = HttpRequest.newBuilder(invokeUri).timeout(Duration.ofSeconds(spec.timeoutSeconds() + FunctionSpec.INIT_SECONDS + 5))
                .header("X-Amzn-RequestId", requestId).POST(HttpRequest.BodyPublishers.ofByteArray(event)).build();
        var pending = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        long timeout = Duration.ofSeconds(spec.timeoutSeconds()).toNanos();
        try {
            while (true) {
                long deadline = warm ? started + timeout
                        : initDoneAt > started ? initDoneAt + timeout : started + Duration.ofSeconds(FunctionSpec.INIT_SECONDS).toNanos() + timeout;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    pending.cancel(true);
                    payload = ("Task timed out after " + spec.timeoutSeconds() + ".00 seconds").getBytes(StandardCharsets.UTF_8);
                    outcome = Outcome.TIMED_OUT;
                    break;
                }
                try {
                    HttpResponse<byte[]> response = pending.get(Math.min(left, Duration.ofMillis(50).toNanos()), TimeUnit.NANOSECONDS);
                    payload = response.body();
                    outcome = classify(response.statusCode(), payload);
                    break;
                } catch (java.util.concurrent.TimeoutException notYet) {
                    // the function is still at it
                }
            }
        } catch (java.util.concurrent.ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof HttpTimeoutException) {
                payload = ("Task timed out after " + spec.timeoutSeconds() + ".00 seconds").getBytes(StandardCharsets.UTF_8);
                outcome = Outcome.TIMED_OUT;
            } else if (cause instanceof ConnectException) {
                payload = "{\"errorType\":\"Runtime.Unavailable\",\"errorMessage\":\"the instance does not listen\"}".getBytes(StandardCharsets.UTF_8);
                outcome = Outcome.CRASHED;
            } else {
                payload = "{\"errorType\":\"Runtime.ExitError\",\"errorMessage\":\"the instance closed the connection\"}".getBytes(StandardCharsets.UTF_8);
                outcome = Outcome.CRASHED;
            }
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + spec.logicalId() + " ran", e);
        }
        answeredAt = System.nanoTime();
        double elapsedMs = (answeredAt - started) / 1e6;
        try {
            // The emulator prints its REPORT line before it answers; the pump may still be reading it.
            reported.await(outcome == Outcome.ANSWERED || outcome == Outcome.FUNCTION_ERROR ? 500 : 50, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double init = initMs;
        double duration = invokeMs >= 0 ? invokeMs : Math.max(0, elapsedMs - init);
        if (outcome == Outcome.TIMED_OUT) duration = spec.timeoutSeconds() * 1000.0;
        var report = new Invocation.Report(requestId, number, init, duration, spec.memoryMb(), maxMemoryMb());
        log.line(spec, number, report.line());
        return new Invocation(spec.logicalId(), outcome, payload, report);
    }

    private Outcome classify(int status, byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        if (status == 200 && text.startsWith("Task timed out after")) return Outcome.TIMED_OUT;
        if (status == 502) return initialised ? Outcome.CRASHED : Outcome.INIT_ERROR;
        if (status != 200) return Outcome.CRASHED;
        return isErrorDocument(text) ? Outcome.FUNCTION_ERROR : Outcome.ANSWERED;
    }

    /** The runtime's report of an exception: {@code errorMessage} and {@code errorType} (and a trace), nothing else. */
    static boolean isErrorDocument(String text) {
        if (!text.startsWith("{") || !text.contains("\"errorType\"")) return false;
        try {
            JsonNode node = JSON.readTree(text);
            if (!node.isObject() || !node.has("errorType")) return false;
            for (var names = node.fieldNames(); names.hasNext(); ) {
                if (!Set.of("errorMessage", "errorType", "stackTrace", "cause").contains(names.next())) return false;
            }
            return true;
        } catch (IOException notJson) {
            return false;
        }
    }

    /** The function JVM's resident high-water mark, what Lambda reports as Max Memory Used. */
    private long maxMemoryMb() {
        return jvm().map(process -> statusKb(process.pid(), "VmHWM:") / 1024).orElse(0L);
    }

    /** Resident memory of the emulator and the JVM under it, now. */
    long residentKb() {
        long kb = statusKb(emulator.pid(), "VmRSS:");
        for (var process : emulator.toHandle().descendants().toList()) kb += statusKb(process.pid(), "VmRSS:");
        return kb;
    }

    private static long statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException | RuntimeException gone) {
            // not Linux, or the process just ended
        }
        return 0;
    }

    long answeredAt() {
        return answeredAt;
    }

    /** The JVM running the function, for tests that crash it on purpose. */
    java.util.Optional<ProcessHandle> jvm() {
        return emulator.toHandle().children().findFirst();
    }

    private void pumpOutput() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Matcher m;
                if ((m = INIT_REPORT.matcher(line)).find()) initMs = Double.parseDouble(m.group(1));
                if ((m = INIT_DONE.matcher(line)).find()) {
                    initDoneAt = System.nanoTime();
                    if (m.group(1).equals("success")) initialised = true;
                }
                if ((m = INVOKE_DONE.matcher(line)).find()) invokeMs = Double.parseDouble(m.group(1));
                if ((m = EMULATOR_REPORT.matcher(line)).find()) {
                    if (m.group(1).equals(awaitedRequestId)) reported.countDown();
                    continue; // replaced by a REPORT with the real memory figure and Lambda's init accounting
                }
                if (RAPID_INFO.matcher(line).find()) continue; // the emulator's own chatter, not the function's log
                log.line(spec, number, line);
            }
        } catch (IOException closed) {
            // the instance is gone
        }
    }

    @Override
    public void close() {
        LIVE.remove(this);
        // The emulator kills its runtime when told to stop, but not when it is killed itself: end the JVM first.
        emulator.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        emulator.destroy();
        try {
            if (!emulator.waitFor(2, TimeUnit.SECONDS)) emulator.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            emulator.destroyForcibly();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return spec.logicalId() + "#" + number;
    }
}
