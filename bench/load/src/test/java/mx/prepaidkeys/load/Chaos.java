package mx.prepaidkeys.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mx.prepaidkeys.local.DevStack;
import mx.prepaidkeys.local.ManagedProcess;
import mx.prepaidkeys.local.SamTemplate;
import mx.prepaidkeys.local.StreamPoller;
import mx.prepaidkeys.local.runtime.Invocation;
import mx.prepaidkeys.local.runtime.LambdaRuntime;
import mx.prepaidkeys.store.InvariantReport;
import mx.prepaidkeys.store.TableInvariants;

/**
 * The faults of `make chaos`, injected one after another while the load runs: DynamoDB frozen for
 * 20 s, DynamoDB killed (its supervisor starts it again), SES refusing for a minute, the notifier
 * killed after SES took a message and before it marked it sent, function instances killed in the
 * middle of requests, DynamoDB refusing the SENT mark after a send, and a mint cut off. For each: what the clients saw (statuses, time to an
 * answer, how their retries ended) and the invariants of the table once it is over, checked with
 * the load held at a gate for the few seconds the checker reads.
 */
final class Chaos {
    /**
     * What one fault did, as the report shows it.
     *
     * @param held whether the invariants hold once the fault is over, not counting Idempotency-Key claims
     *             past their lock whose users are still retrying (their retry takes the claim over)
     */
    record Fault(String name, String injected, double atSeconds, double lastedSeconds, long fromMillis, long toMillis,
                 List<String> notes, InvariantReport invariants, boolean held) {}

    private final LoadStack load;
    private final Recorder recorder;
    private final LoadSettings settings;
    /** The fault harness's own writes (the cut-off mint), by the hash their idempotency records carry. */
    private final Map<String, String> probes = new java.util.concurrent.ConcurrentHashMap<>();
    private final Path root;
    private final List<Fault> results = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;

    private Chaos(LoadStack load, Recorder recorder, LoadSettings settings, Path root) {
        this.load = load;
        this.recorder = recorder;
        this.settings = settings;
        this.root = root;
        this.thread = new Thread(this::run, "chaos");
        this.thread.setDaemon(true);
    }

    static Chaos start(LoadStack load, Recorder recorder, LoadSettings settings, Path root) {
        Chaos chaos = new Chaos(load, recorder, settings, root);
        chaos.thread.start();
        return chaos;
    }

    /** Waits for the last fault to be over and checked (the schedule fits in the run's arrivals). */
    void stop() throws InterruptedException {
        thread.join(Duration.ofMinutes(4).toMillis());
        if (thread.isAlive()) {
            LoadStack.log("chaos: the fault schedule did not finish; interrupting it");
            thread.interrupt();
        }
    }

    List<Fault> results() {
        return List.copyOf(results);
    }

    Map<String, String> probes() {
        return Map.copyOf(probes);
    }

    private void run() {
        try {
            at(15);
            dynamoDbPaused();
            at(65);
            dynamoDbKilled();
            at(85);
            sesRefusing();
            at(200);
            notifierKilledBetweenSendAndMark();
            // at the month-end peak: the most requests in flight
            at(settings.peakStarts().plus(LoadSettings.PEAK_RAMP).toSeconds() + 5);
            instancesKilledMidRequest();
            sentMarkRefused();
            mintCutOff();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LoadStack.log("chaos: a fault could not be staged: %s", e);
            e.printStackTrace(System.out);
        }
    }

    /** Sleeps until {@code seconds} after the load started (at once if the schedule runs late). */
    private void at(long seconds) throws InterruptedException {
        long wait = recorder.startedAtMillis() + seconds * 1000 - System.currentTimeMillis();
        if (wait > 0) Thread.sleep(wait);
    }

    // ---- the faults ----------------------------------------------------------------------------------

    private void dynamoDbPaused() throws InterruptedException {
        ManagedProcess dynamo = load.stack.emulators().dynamoDb();
        long from = System.currentTimeMillis();
        LoadStack.log("chaos: DynamoDB frozen (SIGSTOP) for 20 s");
        dynamo.pause();
        Thread.sleep(20_000);
        dynamo.resume();
        long resumed = System.currentTimeMillis();
        double back = awaitAnswering();
        // requests sent while it was frozen answer up to the function's timeout later
        Thread.sleep(5_000);
        finish("DynamoDB frozen 20 s", "SIGSTOP of dynoxide, SIGCONT 20 s later", from, resumed, List.of(
                String.format(Locale.ROOT, "the API answered 200 again %.1f s after DynamoDB resumed", back)));
    }

    private void dynamoDbKilled() throws InterruptedException {
        ManagedProcess dynamo = load.stack.emulators().dynamoDb();
        long from = System.currentTimeMillis();
        long pid = dynamo.pid();
        LoadStack.log("chaos: DynamoDB killed (SIGKILL, pid %d); the supervisor starts it again", pid);
        dynamo.crash();
        long deadline = System.currentTimeMillis() + 30_000;
        while ((dynamo.pid() == pid || !dynamo.isRunning()) && System.currentTimeMillis() < deadline) Thread.sleep(20);
        long restarted = System.currentTimeMillis();
        double back = awaitAnswering();
        long answering = System.currentTimeMillis();
        Thread.sleep(5_000);
        finish("DynamoDB killed", "SIGKILL of dynoxide; the stack's supervisor starts it again on its port and data file", from, answering,
                List.of(String.format(Locale.ROOT, "dynoxide started again (new pid %d) %.1f s after the kill; the API answered 200 %.1f s after that",
                        dynamo.pid(), (restarted - from) / 1000.0, back)));
    }

    /**
     * SES stopped for a minute: confirms must not notice; the emails owed meanwhile are retried, and
     * those that run out of attempts are FAILED (dead letters), which the back office resends once
     * SES is back, as the README's operations note says.
     */
    private void sesRefusing() throws InterruptedException {
        ManagedProcess ses = load.stack.emulators().ses();
        load.mail(); // the SES emulator forgets its messages when it stops: keep what it holds
        long from = System.currentTimeMillis();
        LoadStack.log("chaos: SES stopped for 60 s");
        ses.stop();
        Thread.sleep(60_000);
        ses.start(Duration.ofSeconds(30));
        long back = System.currentTimeMillis();
        List<String> notes = new ArrayList<>();
        InvariantReport backlog = load.invariants();
        notes.add("when SES came back: " + backlog.result(TableInvariants.EMAIL_ACCOUNTED).summary());
        // the load keeps confirming: the backlog is gone when no email has waited more than a few seconds
        while (backlog.result(TableInvariants.EMAIL_ACCOUNTED).count("oldest PENDING seconds") > 5 && System.currentTimeMillis() - back < 120_000) {
            Thread.sleep(2_000);
            backlog = load.invariants();
        }
        notes.add(String.format(Locale.ROOT, "%.0f s later: %s", (System.currentTimeMillis() - back) / 1000.0,
                backlog.result(TableInvariants.EMAIL_ACCOUNTED).summary()));
        List<String> deadLetters = backlog.result(TableInvariants.DEAD_LETTERS).keys();
        int resent = 0;
        for (String keyId : deadLetters) {
            var reply = load.send("POST", "/v1/admin/prepaid-keys/" + keyId + "/resend-email", load.pools.admin().token(), "{}",
                    UUID.randomUUID().toString());
            if (reply.status() == 202) resent++;
            else notes.add("resend of " + keyId + " answered " + reply.status() + ": " + reply.body());
        }
        if (!deadLetters.isEmpty()) {
            notes.add(String.format(Locale.ROOT, "%d FAILED emails (dead letters) resent by the back office (POST .../resend-email: %d answered 202)",
                    deadLetters.size(), resent));
        }
        Thread.sleep(deadLetters.isEmpty() ? 0 : 5_000);
        finish("SES refusing 60 s", "aws-ses-v2-local stopped, started again 60 s later", from, back, notes);
    }

    /**
     * The one case no design closes (docs/architecture.md): a notifier that dies after SES took the
     * message and before it marked the email SENT. A stand-in notifier reads the stream with SES
     * behind a proxy that passes the first message to SES and holds SES's answer; the notifier's JVM
     * is killed while it waits for it. The email must stay SENDING (accounted for), sent once.
     */
    private void notifierKilledBetweenSendAndMark() throws InterruptedException {
        long from = System.currentTimeMillis();
        LoadStack.log("chaos: the notifier killed between the SES send and the SENT mark");
        List<String> notes = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (FaultProxy ses = FaultProxy.start(load.stack.emulators().sesEndpoint(), request ->
                request.path().endsWith("/outbound-emails") && armed.getAndSet(false) ? new FaultProxy.Action.HoldAnswer() : new FaultProxy.Action.Pass())) {
            withStandInNotifier(Map.of("SES_ENDPOINT", ses.url()), runtime -> {
                confirmOne(notes);
                if (!ses.held.await(60, TimeUnit.SECONDS)) {
                    notes.add("no confirm owed an email within 60 s: nothing to kill");
                    return;
                }
                Thread.sleep(300);
                List<ProcessHandle> jvms = runtime.jvms("NotifierFunction");
                jvms.forEach(ProcessHandle::destroyForcibly);
                notes.add(String.format(Locale.ROOT, "SES took message %s; the notifier's JVM (%d) was killed before it had SES's answer",
                        ses.heldAnswer, jvms.size()));
                ses.release.countDown();
                // the mapping retries the batch on a new instance: the other emails of the batch go out, that one stays SENDING
                Thread.sleep(8_000);
            });
        }
        Thread.sleep(3_000);
        finish("notifier killed between send and mark", "a proxy before SES holds its answer; the notifier's JVM is killed meanwhile", from,
                System.currentTimeMillis(), notes);
    }

    /** Refusals of one email's SENT mark: more than one SDK call's attempts, fewer than the notifier's tries at the mark. */
    private static final int MARK_REFUSALS = 8;

    /**
     * DynamoDB refuses the SENT mark (500, as a throttled or failing partition may answer) after SES
     * took the message, more times than one SDK call tries, then works again. Sending and marking are
     * two steps; this fault sits between them without killing anything. An email may be sent once only:
     * the checker says whether it was.
     */
    private void sentMarkRefused() throws InterruptedException {
        long from = System.currentTimeMillis();
        LoadStack.log("chaos: DynamoDB refuses the notifier's SENT mark " + MARK_REFUSALS + " times");
        List<String> notes = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicReference<String> victim = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean givenBack = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch released = new CountDownLatch(1);
        java.util.regex.Pattern keyPk = java.util.regex.Pattern.compile("KEY#([0-9a-z]{26})");
        try (FaultProxy dynamo = FaultProxy.start(load.stack.emulators().dynamoDbEndpoint(), request -> {
            if (!request.target().endsWith(".UpdateItem") || released.getCount() == 0) return new FaultProxy.Action.Pass();
            var key = keyPk.matcher(request.body());
            String keyId = key.find() ? key.group(1) : null;
            boolean marksSent = request.body().contains("\"SENT\"") && request.body().contains("\"SENDING\"");
            if (marksSent && (victim.compareAndSet(null, keyId) || java.util.Objects.equals(victim.get(), keyId))) {
                if (refused.get() < MARK_REFUSALS) {
                    refused.incrementAndGet();
                    return new FaultProxy.Action.Refuse(500, "application/x-amz-json-1.0",
                            "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"chaos: the SENT mark refused\"}");
                }
                released.countDown();
            }
            // the email given back to be sent again: what must not happen once SES has it
            if (keyId != null && keyId.equals(victim.get()) && request.body().contains("\"PENDING\"")) {
                givenBack.set(true);
                released.countDown();
            }
            return new FaultProxy.Action.Pass();
        })) {
            withStandInNotifier(Map.of("DYNAMODB_ENDPOINT", dynamo.url()), runtime -> {
                confirmOne(notes);
                if (!released.await(60, TimeUnit.SECONDS)) {
                    notes.add(victim.get() == null ? "no email was sent within 60 s: nothing to refuse"
                            : "the notifier neither marked the email nor gave it back within 60 s (" + refused.get() + " marks refused)");
                    return;
                }
                notes.add(String.format(Locale.ROOT, "key %s: SES took the message, DynamoDB refused its SENT mark %d times, %s",
                        victim.get(), refused.get(), givenBack.get() ? "the notifier gave the email back (PENDING) to be sent again"
                                : "the notifier retried the mark, not the send, and it went through"));
                Thread.sleep(8_000);
            });
        }
        Thread.sleep(3_000);
        finish("SENT mark refused", "a proxy before DynamoDB answers 500 to the notifier's SENT mark of one email " + MARK_REFUSALS
                + " times, then passes everything",
                from, System.currentTimeMillis(), notes);
    }

    /**
     * A confirm of the harness's own, so that an email is owed at once whatever the load is doing
     * (the key comes from the first distributor's pile, as a user's would).
     */
    private void confirmOne(List<String> notes) {
        KeyPools.User user = load.pools.users().getFirst();
        KeyPools.Fresh fresh = load.pools.takeFresh(user.distributorId());
        if (fresh == null) return;
        CompletableFuture.runAsync(() -> {
            var reply = load.send("POST", "/v1/prepaid-keys/confirm", user.token(), BusinessDaySimulation.confirmBody(fresh.key(),
                    fresh.licenseVersion()), UUID.randomUUID().toString());
            if (reply.status() != 200) notes.add("the harness's own confirm answered " + reply.status());
        });
    }

    private interface WithRuntime {
        void run(LambdaRuntime runtime) throws InterruptedException;
    }

    /**
     * For the moment of a fault, the stack's notifier paused and a stand-in one, with some of its
     * variables changed, reading the stream from where the stack's stopped.
     */
    private void withStandInNotifier(Map<String, String> changes, WithRuntime body) throws InterruptedException {
        DevStack stack = load.stack;
        StreamPoller own = stack.streamNotifier();
        own.pause();
        Path checkpoint = load.stateDir().resolve("stream-checkpoint");
        Path copy = root.resolve("bench/load/target/chaos-stream-checkpoint");
        try {
            if (Files.exists(checkpoint)) copyFile(checkpoint, copy);
            LambdaRuntime runtime = stack.runtimeWith("chaos-notifier", f -> f.logicalId().equals("NotifierFunction") ? changes : Map.of());
            StreamPoller poller = DevStack.streamPoller(stack.emulators(), SamTemplate.load(root.resolve("template.yaml")), DevStack.TABLE,
                    "NotifierFunction", event -> {
                        Invocation invocation = runtime.invoke("NotifierFunction", event);
                        return invocation.answered() ? invocation.payload() : null;
                    }, copy).start(100);
            try {
                body.run(runtime);
            } finally {
                // let the delivery under way finish: stopping an instance mid-send would stage a second fault
                poller.pause();
                poller.close();
                runtime.close();
            }
        } finally {
            own.resume();
        }
    }

    /** Function instances killed while they serve requests, at the month-end peak. */
    private void instancesKilledMidRequest() throws InterruptedException {
        LambdaRuntime lambda = load.stack.lambda();
        long deadline = System.currentTimeMillis() + 15_000;
        while (recorder.inFlight(BusinessDaySimulation.CONFIRM) == 0 && System.currentTimeMillis() < deadline) Thread.sleep(2);
        int confirming = recorder.inFlight(BusinessDaySimulation.CONFIRM);
        int assigning = recorder.inFlight(BusinessDaySimulation.ASSIGN);
        long from = System.currentTimeMillis();
        List<ProcessHandle> killed = new ArrayList<>();
        for (String function : List.of("ConfirmFunction", "AssignFunction", "CaptureFunction")) {
            List<ProcessHandle> jvms = lambda.jvms(function);
            jvms.forEach(ProcessHandle::destroyForcibly);
            killed.addAll(jvms);
        }
        LoadStack.log("chaos: %d function JVMs killed (Confirm, Assign, Capture) with %d confirms and %d assigns in flight", killed.size(),
                confirming, assigning);
        Thread.sleep(10_000);
        finish("instances killed mid-request", "SIGKILL of every Confirm, Assign and Capture JVM at the peak", from, from + 2_000, List.of(
                String.format(Locale.ROOT, "%d JVMs killed with %d confirm and %d assign requests in flight", killed.size(), confirming, assigning)));
    }

    /**
     * A 3,000-key mint whose function is killed half way (the batch is MINTING, part of its keys
     * written); the client retries with the same Idempotency-Key as the desk would.
     */
    private void mintCutOff() throws InterruptedException {
        long from = System.currentTimeMillis();
        String idempotencyKey = UUID.randomUUID().toString();
        String body = "{\"productSku\":\"SAE-12M\",\"quantity\":1000,\"note\":\"carga: lote cortado\"}";
        probes.put(Recorder.hash(idempotencyKey), "the fault harness's 1,000-key mint, cut off");
        LoadStack.log("chaos: a 1,000-key mint cut off by killing its function");
        CompletableFuture<LoadStack.Reply> first = CompletableFuture.supplyAsync(() ->
                load.send("POST", "/v1/admin/key-batches", load.pools.admin().token(), body, idempotencyKey));
        Thread.sleep(1_000);
        List<ProcessHandle> jvms = load.stack.lambda().jvms("MintBatchFunction");
        jvms.forEach(ProcessHandle::destroyForcibly);
        List<String> notes = new ArrayList<>();
        try {
            var reply = first.get(30, TimeUnit.SECONDS);
            notes.add(String.format(Locale.ROOT, "the mint answered %d %s after %.1f s (%d JVM killed 1 s in)", reply.status(), code(reply),
                    (System.currentTimeMillis() - from) / 1000.0, jvms.size()));
        } catch (Exception e) {
            notes.add("the mint gave no answer: " + e);
        }
        Map<String, Integer> retries = new TreeMap<>();
        long retryStart = System.currentTimeMillis();
        LoadStack.Reply last = null;
        while (System.currentTimeMillis() - retryStart < BusinessDaySimulation.RETRY_FOR.toMillis()) {
            last = load.send("POST", "/v1/admin/key-batches", load.pools.admin().token(), body, idempotencyKey);
            retries.merge(last.status() + " " + code(last), 1, Integer::sum);
            if (last.status() == 201 || (last.status() < 500 && last.status() != 409)) break;
            Thread.sleep(5_000);
        }
        notes.add(String.format(Locale.ROOT, "retried with the same Idempotency-Key: %s; ended %s %.0f s after the first attempt", retries,
                last == null ? "-" : last.status() + " " + code(last), (System.currentTimeMillis() - from) / 1000.0));
        if (last != null && last.status() == 201) {
            notes.add("the answer holds batch " + last.json().path("batchId").asText() + "; the table now: "
                    + load.invariants().result(TableInvariants.BATCHES).summary());
        }
        finish("mint cut off", "SIGKILL of the MintBatch JVM 1 s into a 1,000-key mint; the client retries with its Idempotency-Key", from,
                from + 2_000, notes);
    }

    private static String code(LoadStack.Reply reply) {
        return reply.json() == null ? "" : reply.json().path("code").asText("");
    }

    // ---- around each fault ------------------------------------------------------------------------------

    /** Seconds until a list request answers 200 again (the harness's own probe, outside the recorded load). */
    private double awaitAnswering() throws InterruptedException {
        long started = System.currentTimeMillis();
        KeyPools.User user = load.pools.users().getFirst();
        while (System.currentTimeMillis() - started < 60_000) {
            try {
                if (load.send("GET", "/v1/prepaid-keys?limit=1", user.token(), null, null).status() == 200) break;
            } catch (RuntimeException notYet) {
                // no answer yet
            }
            Thread.sleep(250);
        }
        return (System.currentTimeMillis() - started) / 1000.0;
    }

    private void finish(String name, String injected, long from, long to, List<String> notes) {
        InvariantReport invariants = checkQuietly();
        List<String> all = new ArrayList<>(notes);
        Set<String> retrying = recorder.openHashes();
        long unexplained = 0;
        long beingRetried = 0;
        for (InvariantReport.Result result : invariants.results()) {
            for (String violation : result.violations()) {
                if (result.name().equals(TableInvariants.IDEMPOTENCY) && retrying.contains(claimHash(violation))) beingRetried++;
                else unexplained++;
            }
        }
        if (beingRetried > 0) {
            all.add(beingRetried + " Idempotency-Key claims past their lock belong to writes whose users are still retrying (their retry takes "
                    + "the claim over; the check at the end shows whether one stayed)");
        }
        Fault fault = new Fault(name, injected, (from - recorder.startedAtMillis()) / 1000.0, (to - from) / 1000.0, from, to, List.copyOf(all),
                invariants, unexplained == 0);
        results.add(fault);
        LoadStack.log("chaos: %s: invariants %s%s", name, fault.held() ? "hold" : "VIOLATED", all.isEmpty() ? "" : "; " + String.join("; ", all));
        if (!fault.held()) System.out.print(invariants.text());
    }

    /** The Idempotency-Key hash at the end of a record's key, as a violation names it ({@code IDEMPOTENCY#route#sub#hash IN_PROGRESS ...}). */
    static String claimHash(String violation) {
        String pk = violation.split(" IN_PROGRESS", 2)[0];
        return pk.substring(pk.lastIndexOf('#') + 1);
    }

    /**
     * The invariants with the load held: no request starts while the table is read, so counters
     * and keys are read in one quiet moment (users arriving meanwhile wait at the gate).
     */
    private InvariantReport checkQuietly() {
        recorder.closeGate();
        try {
            long deadline = System.currentTimeMillis() + 20_000;
            while (recorder.inFlight() > 0 && System.currentTimeMillis() < deadline) LoadStack.sleep(20);
            return load.invariants();
        } finally {
            recorder.openGate();
        }
    }

    private static void copyFile(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy the stream checkpoint", e);
        }
    }
}
