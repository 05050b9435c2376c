package mx.prepaidkeys.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * One emulator process on a fixed loopback port: started, probed until ready (with a deadline, no
 * fixed sleeps), stopped, and started again on the same port (fault tests stop SES mid-run). Once
 * {@link #supervise supervised}, a process that exits without being asked to is started again on
 * its port with its data; one that keeps dying is given up on, and the stack told so.
 */
public final class ManagedProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    /** Every process started and not stopped yet: whatever way this JVM ends, none is left behind. */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Set as the JVM ends: the processes it stops then are not crashes to recover from. */
    private static volatile boolean shuttingDown;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shuttingDown = true;
            LIVE.forEach(Process::destroy);
        }, "emulators-stop"));
    }

    private final String name;
    private final List<String> command;
    private final Path workDir;
    private final Path log;
    private final int port;
    private final String probePath;
    private final IntPredicate ready;
    private final java.util.Map<String, String> environment;
    private Process process;
    /** Whether the process should be running: false once {@link #stop()} was asked for. */
    private volatile boolean wanted;
    private volatile java.util.function.Consumer<String> giveUp;
    private final java.util.Deque<Instant> restarts = new java.util.ArrayDeque<>();
    private static final int RESTARTS_PER_MINUTE = 5;

    /**
     * @param probePath an HTTP path answered once the process serves requests
     * @param ready     which status of the probe means ready
     */
    public ManagedProcess(String name, List<String> command, Path workDir, Path log, int port, String probePath, IntPredicate ready) {
        this(name, command, java.util.Map.of(), workDir, log, port, probePath, ready);
    }

    public ManagedProcess(String name, List<String> command, java.util.Map<String, String> environment, Path workDir, Path log,
                          int port, String probePath, IntPredicate ready) {
        this.environment = java.util.Map.copyOf(environment);
        this.name = name;
        this.command = List.copyOf(command);
        this.workDir = workDir;
        this.log = log;
        this.port = port;
        this.probePath = probePath;
        this.ready = ready;
    }

    public synchronized ManagedProcess start(Duration timeout) {
        if (process != null && process.isAlive()) return this;
        wanted = true;
        try {
            Files.createDirectories(log.getParent());
            Files.createDirectories(workDir);
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
            LIVE.add(process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + " (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
        awaitReady(timeout);
        Process started = process;
        started.onExit().thenRun(() -> exited(started));
        return this;
    }

    /**
     * From now on, an exit nobody asked for starts the process again (its port, its data file);
     * more than {@value #RESTARTS_PER_MINUTE} in a minute, or a restart that fails, calls {@code giveUp}
     * with the reason instead: a stack is never left half alive.
     */
    public ManagedProcess supervise(java.util.function.Consumer<String> giveUp) {
        this.giveUp = giveUp;
        return this;
    }

    private void exited(Process gone) {
        var onGiveUp = giveUp;
        synchronized (this) {
            if (!wanted || shuttingDown || process != gone || onGiveUp == null) return;
            Instant now = Instant.now();
            restarts.addLast(now);
            while (!restarts.isEmpty() && restarts.peekFirst().isBefore(now.minusSeconds(60))) restarts.removeFirst();
            LIVE.remove(gone);
            process = null;
            if (restarts.size() <= RESTARTS_PER_MINUTE) {
                System.err.println("local stack: " + name + " exited (code " + gone.exitValue() + "); starting it again on port " + port);
                try {
                    start(Duration.ofSeconds(30));
                    System.err.println("local stack: " + name + " is back on port " + port);
                    return;
                } catch (RuntimeException e) {
                    onGiveUp.accept(name + " exited and could not be started again: " + e.getMessage());
                    return;
                }
            }
        }
        onGiveUp.accept(name + " exited " + restarts.size() + " times in a minute; see " + log);
    }

    /** Freezes the process (SIGSTOP) as a stalled dependency would be, until {@link #resume()}. */
    public void pause() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    /** Kills the process as a crash would (SIGKILL): a supervised process comes back by itself. */
    public void crash() {
        signal("KILL");
    }

    private void signal(String signal) {
        long pid = pid();
        if (pid < 0) throw new IllegalStateException(name + " is not running");
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            if (kill.waitFor() != 0) throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + probePath)).timeout(Duration.ofSeconds(1)).GET().build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + " before it was ready; see " + log);
            }
            try {
                if (ready.test(HTTP.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode())) return;
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
        stop();
        throw new IllegalStateException(name + " was not ready on port " + port + " within " + timeout.toSeconds() + " s; see " + log);
    }

    public synchronized void stop() {
        wanted = false;
        if (process == null) return;
        LIVE.remove(process);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** The operating system's id of the running process, or -1. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        stop();
    }
}
