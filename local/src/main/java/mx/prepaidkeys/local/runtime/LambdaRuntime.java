package mx.prepaidkeys.local.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import mx.prepaidkeys.local.SamTemplate;
import mx.prepaidkeys.local.runtime.Invocation.Outcome;

/**
 * Lambda on this machine, without Docker: each function of template.yaml runs from its
 * {@code sam build} artifact under the Runtime Interface Emulator and the Java runtime interface
 * client, in processes of its own, with the Handler, memory, timeout and environment the template
 * gives it. As in Lambda, an instance serves one request at a time; instances start on first use
 * and stay warm; concurrent requests start more, up to a cap per function; a request past the
 * timeout is cut off and its instance replaced, as is an instance that died. Every invocation's
 * REPORT line goes to the function's log ({@code logs/functions/<LogicalId>.log}).
 */
public final class LambdaRuntime implements AutoCloseable {
    /** Instances per function unless {@code LAMBDA_CONCURRENCY} says otherwise: each is a JVM of about 170 MB. */
    public static final int DEFAULT_CONCURRENCY = 4;

    private final RuntimeTools tools;
    private final Map<String, FunctionSpec> functions = new LinkedHashMap<>();
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();
    private final Path logDir;
    private final int concurrency;
    private final List<Consumer<FunctionLine>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Writer> logs = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** A line a function printed (or its REPORT), as it reaches its log. */
    public record FunctionLine(String function, int instance, String line) {}

    /**
     * @param buildDir  {@code .aws-sam/build}
     * @param overlay   each function's local values for its template variables (see {@link FunctionSpec#of})
     * @param logDir    where each function's log is written
     */
    public LambdaRuntime(SamTemplate template, Path buildDir, java.util.function.Function<SamTemplate.Function, Map<String, String>> overlay,
                         String region, RuntimeTools tools, Path logDir, int concurrency) {
        this.tools = tools;
        this.logDir = logDir;
        this.concurrency = concurrency;
        for (var function : template.functions()) {
            functions.put(function.logicalId(), FunctionSpec.of(function, buildDir, overlay.apply(function), region));
        }
    }

    /** The cap from {@code LAMBDA_CONCURRENCY}, else {@link #DEFAULT_CONCURRENCY}. */
    public static int concurrencyFromEnvironment() {
        String value = System.getenv("LAMBDA_CONCURRENCY");
        return value == null || value.isBlank() ? DEFAULT_CONCURRENCY : Math.max(1, Integer.parseInt(value.trim()));
    }

    public FunctionSpec function(String logicalId) {
        FunctionSpec spec = functions.get(logicalId);
        if (spec == null) throw new IllegalArgumentException("no function " + logicalId + " in template.yaml; functions: " + functions.keySet());
        return spec;
    }

    /** Every line the functions print from now on, as it comes (the console, tests reading logs). */
    public void listen(Consumer<FunctionLine> listener) {
        listeners.add(listener);
    }

    public void unlisten(Consumer<FunctionLine> listener) {
        listeners.remove(listener);
    }

    /**
     * Invokes a function with an event, synchronously, as API Gateway or an event source mapping
     * does: on a warm instance if one is free, on a new one if the cap allows, else after waiting
     * for one (at most the function's timeout; then {@link Outcome#THROTTLED}).
     */
    public Invocation invoke(String logicalId, byte[] event) {
        if (closed) throw new IllegalStateException("the local Lambda runtime is stopped");
        FunctionSpec spec = function(logicalId);
        Pool pool = pools.computeIfAbsent(logicalId, id -> new Pool(spec));
        String requestId = UUID.randomUUID().toString();
        FunctionInstance instance = pool.acquire(Duration.ofSeconds(spec.timeoutSeconds()));
        if (instance == null) {
            return new Invocation(logicalId, Outcome.THROTTLED, "{\"errorType\":\"TooManyRequestsException\",\"errorMessage\":\"Rate Exceeded.\"}"
                    .getBytes(StandardCharsets.UTF_8), new Invocation.Report(requestId, 0, 0, 0, spec.memoryMb(), 0));
        }
        Invocation invocation;
        try {
            invocation = instance.invoke(requestId, event);
        } catch (RuntimeException e) {
            pool.discard(instance);
            throw e;
        }
        boolean reusable = (invocation.outcome() == Outcome.ANSWERED || invocation.outcome() == Outcome.FUNCTION_ERROR) && instance.alive();
        if (reusable) pool.release(instance);
        else pool.discard(instance);
        return invocation;
    }

    /** A cold start as Lambda charges it, and its wall time from the emulator's process start to the first answer. */
    public record ColdStart(Invocation invocation, double wallMs) {}

    /** One event on a new instance of {@code spec} (the emulator and the JVM started for it, then stopped): the benchmark's cold start. */
    public static ColdStart coldStart(FunctionSpec spec, RuntimeTools tools, byte[] event) {
        long spawned = System.nanoTime();
        try (FunctionInstance instance = FunctionInstance.start(spec, 1, tools, (function, number, line) -> { })) {
            Invocation invocation = instance.invoke(UUID.randomUUID().toString(), event);
            return new ColdStart(invocation, (instance.answeredAt() - spawned) / 1e6);
        }
    }

    /** Warm instances of a function now (busy ones included). */
    public int instances(String logicalId) {
        Pool pool = pools.get(logicalId);
        return pool == null ? 0 : pool.live();
    }

    /** The JVMs of a function's instances now, busy or idle (tests kill them to stage a crash). */
    public List<ProcessHandle> jvms(String logicalId) {
        Pool pool = pools.get(logicalId);
        return pool == null ? List.of() : pool.jvms();
    }

    /** Kills the JVM of one idle warm instance of a function, as a crash would; false when none is warm. */
    public boolean crashOneInstance(String logicalId) {
        Pool pool = pools.get(logicalId);
        return pool != null && pool.crashOne();
    }

    /** Stops every instance of one function (the next request starts it cold). */
    public void stopInstances(String logicalId) {
        Pool pool = pools.get(logicalId);
        if (pool != null) pool.stopIdle();
    }

    /** Resident memory of every function process now, in MB: what the warm functions cost the machine. */
    public long residentMb() {
        long kb = 0;
        for (Pool pool : pools.values()) kb += pool.residentKb();
        return kb / 1024;
    }

    /** A line of the platform's about a function (the gateway's, when it answers for it), in that function's log. */
    public void note(String logicalId, String line) {
        line(function(logicalId), 0, line);
    }

    private void line(FunctionSpec function, int instance, String line) {
        Writer writer = logs.computeIfAbsent(function.logicalId(), id -> {
            try {
                Files.createDirectories(logDir);
                return Files.newBufferedWriter(logDir.resolve(id + ".log"), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the log of " + id + " in " + logDir, e);
            }
        });
        synchronized (writer) {
            try {
                writer.write(line);
                writer.write('\n');
                writer.flush();
            } catch (IOException e) {
                // a full disk must not fail the request; the listeners still see the line
            }
        }
        FunctionLine event = new FunctionLine(function.logicalId(), instance, line);
        for (var listener : listeners) listener.accept(event);
    }

    @Override
    public void close() {
        closed = true;
        pools.values().forEach(Pool::stopAll);
        logs.values().forEach(writer -> {
            try {
                writer.close();
            } catch (IOException ignored) {
                // stopping anyway
            }
        });
    }

    /** The instances of one function. */
    private final class Pool {
        private final FunctionSpec spec;
        private final Deque<FunctionInstance> idle = new ArrayDeque<>();
        private final java.util.Set<FunctionInstance> all = new java.util.HashSet<>();
        private int starting;
        private int numbered;

        Pool(FunctionSpec spec) {
            this.spec = spec;
        }

        FunctionInstance acquire(Duration wait) {
            long deadline = System.nanoTime() + wait.toNanos();
            int number;
            synchronized (this) {
                while (true) {
                    FunctionInstance warm = idle.pollFirst();
                    if (warm != null) {
                        if (warm.alive()) return warm;
                        all.remove(warm);
                        warm.close();
                        continue;
                    }
                    if (all.size() + starting < concurrency) {
                        starting++;
                        number = ++numbered;
                        break;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return null;
                    try {
                        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                }
            }
            FunctionInstance started = null;
            try {
                started = FunctionInstance.start(spec, number, tools, LambdaRuntime.this::line);
                return started;
            } finally {
                synchronized (this) {
                    starting--;
                    if (started != null) all.add(started);
                    notifyAll();
                }
            }
        }

        synchronized void release(FunctionInstance instance) {
            // most recently used first: a quiet function keeps few instances busy, as Lambda tends to
            idle.addFirst(instance);
            notifyAll();
        }

        void discard(FunctionInstance instance) {
            instance.close();
            synchronized (this) {
                all.remove(instance);
                idle.remove(instance);
                notifyAll();
            }
        }

        synchronized int live() {
            return all.size();
        }

        boolean crashOne() {
            FunctionInstance victim;
            synchronized (this) {
                victim = idle.peekFirst();
            }
            if (victim == null) return false;
            var jvm = victim.jvm();
            if (jvm.isEmpty() || !jvm.get().destroyForcibly()) return false;
            try {
                // dead and reaped, as after a crash some time ago
                jvm.get().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                return false;
            }
            return true;
        }

        List<ProcessHandle> jvms() {
            List<FunctionInstance> instances;
            synchronized (this) {
                instances = List.copyOf(all);
            }
            return instances.stream().flatMap(i -> i.jvm().stream()).toList();
        }

        void stopIdle() {
            List<FunctionInstance> stopping;
            synchronized (this) {
                stopping = List.copyOf(idle);
                idle.clear();
                stopping.forEach(all::remove);
                notifyAll();
            }
            stopping.forEach(FunctionInstance::close);
        }

        long residentKb() {
            List<FunctionInstance> instances;
            synchronized (this) {
                instances = List.copyOf(all);
            }
            long kb = 0;
            for (var instance : instances) kb += instance.residentKb();
            return kb;
        }

        void stopAll() {
            List<FunctionInstance> stopping;
            synchronized (this) {
                stopping = List.copyOf(all);
                all.clear();
                idle.clear();
                notifyAll();
            }
            stopping.forEach(FunctionInstance::close);
        }
    }
}
