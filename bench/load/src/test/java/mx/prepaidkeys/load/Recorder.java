package mx.prepaidkeys.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Every request of the run as its client saw it: route, when it was sent, how long the answer took,
 * status and problem {@code code}, and whether that answer is what the business step expects (a
 * typo's 400 is expected; a 504 never is). Gatling's own report shows the same requests; this one
 * is what the tables of the report and the fault windows of chaos are computed from.
 */
final class Recorder {
    /** One request. {@code status} 0: no answer at all (connection refused or reset, client timeout). */
    record Call(String route, long sentAtMillis, long millis, int status, String code, boolean expected, boolean retry, String idempotencyKey) {
        long answeredAtMillis() {
            return sentAtMillis + millis;
        }

        String outcome() {
            return status == 0 ? "no answer" : code == null ? Integer.toString(status) : status + " " + code;
        }
    }

    /**
     * One business write as its user lived it: the first attempt, the retries with the same
     * Idempotency-Key after an error, and the answer it ended with.
     */
    record Action(String route, long startedAtMillis, long endedAtMillis, int attempts, int status, String code, String idempotencyKey) {
        long millis() {
            return endedAtMillis - startedAtMillis;
        }
    }

    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Action> actions = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> surprises = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlightByRoute = new java.util.concurrent.ConcurrentHashMap<>();
    /** Closed while the invariants are checked between faults: no request starts, users wait at the gate. */
    private volatile boolean gateClosed;
    private final Map<String, AtomicInteger> skipped = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long startedAtMillis;

    private final List<String> machineLoad = new java.util.concurrent.CopyOnWriteArrayList<>();

    void machineLoad(String loadAverage) {
        machineLoad.add(loadAverage);
    }

    /** The machine's load average when the run started and when it ended. */
    List<String> machineLoads() {
        return List.copyOf(machineLoad);
    }

    void started() {
        startedAtMillis = System.currentTimeMillis();
    }

    long startedAtMillis() {
        return startedAtMillis;
    }

    void sending(String route) {
        inFlight.incrementAndGet();
        inFlightByRoute.computeIfAbsent(route, r -> new AtomicInteger()).incrementAndGet();
    }

    void add(Call call) {
        inFlight.decrementAndGet();
        inFlightByRoute.get(call.route()).decrementAndGet();
        calls.add(call);
    }

    int inFlight() {
        return inFlight.get();
    }

    int inFlight(String route) {
        AtomicInteger n = inFlightByRoute.get(route);
        return n == null ? 0 : n.get();
    }

    /** A write whose user has not had a final answer yet (it may be waiting to retry): its Idempotency-Key, since when. */
    private final Map<String, Long> open = new java.util.concurrent.ConcurrentHashMap<>();

    void opened(String idempotencyKey, long at) {
        open.put(idempotencyKey, at);
    }

    void action(Action action) {
        open.remove(action.idempotencyKey());
        actions.add(action);
    }

    /** The hashes (as the idempotency record names them) of the keys whose users are still retrying. */
    java.util.Set<String> openHashes() {
        java.util.Set<String> hashes = new java.util.HashSet<>();
        open.keySet().forEach(key -> hashes.add(hash(key)));
        return hashes;
    }

    /** How the service names an Idempotency-Key in its record: SHA-256, base64url (edge's ApiHandler). */
    static String hash(String idempotencyKey) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(idempotencyKey.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every call and every write, for a closer look: bench/load/target/load-calls.csv. */
    void writeCsv(java.nio.file.Path file) throws java.io.IOException {
        StringBuilder csv = new StringBuilder("kind,route,sent_s,millis,status,code,expected,retry_or_attempts,idempotency_key\n");
        for (Call c : calls()) {
            csv.append(String.format(java.util.Locale.ROOT, "call,%s,%.3f,%d,%d,%s,%b,%b,%s%n", c.route(), (c.sentAtMillis() - startedAtMillis) / 1000.0,
                    c.millis(), c.status(), c.code() == null ? "" : c.code(), c.expected(), c.retry(), c.idempotencyKey() == null ? "" : c.idempotencyKey()));
        }
        for (Action a : actions()) {
            csv.append(String.format(java.util.Locale.ROOT, "write,%s,%.3f,%d,%d,%s,,%d,%s%n", a.route(), (a.startedAtMillis() - startedAtMillis) / 1000.0,
                    a.millis(), a.status(), a.code() == null ? "" : a.code(), a.attempts(), a.idempotencyKey()));
        }
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.writeString(file, csv);
    }

    List<Action> actions() {
        List<Action> all = new ArrayList<>(actions);
        all.sort(Comparator.comparingLong(Action::startedAtMillis));
        return all;
    }

    /** Something the client saw that the API promises never happens (a replayed mint with another batch ...). */
    void surprise(String what) {
        surprises.add(what);
    }

    List<String> surprises() {
        return List.copyOf(surprises);
    }

    boolean gateClosed() {
        return gateClosed;
    }

    void closeGate() {
        gateClosed = true;
    }

    void openGate() {
        gateClosed = false;
    }

    /** A business step that did not happen for want of a key in its state (all confirmed, none to assign ...). */
    void skipped(String step) {
        skipped.computeIfAbsent(step, s -> new AtomicInteger()).incrementAndGet();
    }

    Map<String, Integer> skips() {
        Map<String, Integer> copy = new TreeMap<>();
        skipped.forEach((step, n) -> copy.put(step, n.get()));
        return copy;
    }

    List<Call> calls() {
        List<Call> all = new ArrayList<>(calls);
        all.sort(Comparator.comparingLong(Call::sentAtMillis));
        return all;
    }

    List<Call> calls(Predicate<Call> which) {
        return calls().stream().filter(which).toList();
    }

    /** Requests, latency percentiles and outcomes of some calls. */
    record Stats(long count, double perSecond, long p50, long p95, long p99, long max, Map<String, Long> unexpected,
                 Map<String, Long> expectedRefusals) {
        long errors() {
            return unexpected.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    static Stats stats(List<Call> calls, double seconds) {
        long[] millis = calls.stream().mapToLong(Call::millis).sorted().toArray();
        Map<String, Long> unexpected = new TreeMap<>();
        Map<String, Long> refusals = new TreeMap<>();
        for (Call call : calls) {
            boolean error = !call.expected();
            if (error) unexpected.merge(call.outcome(), 1L, Long::sum);
            else if (call.status() >= 400) refusals.merge(call.outcome(), 1L, Long::sum);
        }
        return new Stats(calls.size(), seconds <= 0 ? 0 : calls.size() / seconds, percentile(millis, 50), percentile(millis, 95),
                percentile(millis, 99), millis.length == 0 ? 0 : millis[millis.length - 1], unexpected, refusals);
    }

    /** Nearest-rank percentile: the value at or below which {@code p}% of the answers fall. */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) return 0;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Calls grouped by route, routes in a stable order. */
    static Map<String, List<Call>> byRoute(List<Call> calls) {
        Map<String, List<Call>> routes = new LinkedHashMap<>();
        calls.stream().sorted(Comparator.comparing(Call::route)).forEach(call -> routes.computeIfAbsent(call.route(), r -> new ArrayList<>()).add(call));
        return routes;
    }
}
