package mx.prepaidkeys.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import mx.prepaidkeys.local.runtime.LambdaRuntime;
import mx.prepaidkeys.store.InvariantReport;
import mx.prepaidkeys.store.TableInvariants;

/**
 * The figures of a run, printed and written to {@code bench/load-report.md}: requests per second,
 * latency percentiles per route, errors by status and problem code, the invariants at the end, and
 * with chaos a row per fault. A plain run rewrites the load section of the file, a chaos run the
 * chaos section, so the file holds the latest of each.
 */
final class LoadReport {
    private static final String[] FUNCTIONS = {"CaptureFunction", "ConfirmFunction", "ListFunction", "HistoryFunction", "AssignFunction",
            "MintBatchFunction", "GetBatchFunction", "VoidKeyFunction", "AdminKeyFunction", "ResendEmailFunction", "NotifierFunction"};

    private final LoadSettings settings;
    private final Recorder recorder;
    private final long endedAtMillis;
    private final InvariantReport invariants;
    private final List<Chaos.Fault> faults;
    private final List<Recorder.Call> calls;
    private final Map<String, Integer> instances = new TreeMap<>();
    private final long residentMb;
    private final int keysLeft;
    private final Map<String, String> probes;
    private final String largestMint;
    private final Map<String, Integer> coldAtStart;

    LoadReport(LoadSettings settings, Recorder recorder, long endedAtMillis, InvariantReport invariants, List<Chaos.Fault> faults,
               Map<String, String> probes, LoadStack stack) {
        this.probes = probes;
        this.largestMint = stack.largestMint();
        this.coldAtStart = Map.copyOf(stack.coldAtStart);
        KeyPools pools = stack.pools;
        LambdaRuntime lambda = stack.stack.lambda();
        this.settings = settings;
        this.recorder = recorder;
        this.endedAtMillis = endedAtMillis;
        this.invariants = invariants;
        this.faults = faults;
        this.calls = recorder.calls();
        for (String function : FUNCTIONS) instances.put(function, lambda.instances(function));
        this.residentMb = lambda.residentMb();
        this.keysLeft = pools.freshLeft();
    }

    boolean passed() {
        return invariants.ok() && recorder.surprises().isEmpty() && faults.stream().allMatch(Chaos.Fault::held);
    }

    String failures() {
        List<String> out = new ArrayList<>();
        if (!invariants.ok()) out.add(invariants.text());
        out.addAll(recorder.surprises());
        for (Chaos.Fault fault : faults) if (!fault.held()) out.add("after " + fault.name() + ":\n" + fault.invariants().text());
        return String.join("\n", out);
    }

    // ---- figures -------------------------------------------------------------------------------------

    private double seconds() {
        return (endedAtMillis - recorder.startedAtMillis()) / 1000.0;
    }

    private List<Recorder.Call> sentBetween(Duration from, Duration to) {
        long start = recorder.startedAtMillis() + from.toMillis();
        long end = recorder.startedAtMillis() + to.toMillis();
        return calls.stream().filter(c -> c.sentAtMillis() >= start && c.sentAtMillis() < end).toList();
    }

    /** A route over the whole run, and its p99 at the base rate and in the peak's hold. */
    private record Row(String name, Recorder.Stats stats, long baseP99, long peakP99) {}

    private List<Row> routes() {
        List<Row> rows = new ArrayList<>();
        Map<String, List<Recorder.Call>> byRoute = Recorder.byRoute(calls);
        for (String route : BusinessDaySimulation.ROUTES) {
            if (byRoute.containsKey(route)) rows.add(row(route, c -> c.route().equals(route)));
        }
        rows.add(row("all", c -> true));
        return rows;
    }

    private Row row(String name, java.util.function.Predicate<Recorder.Call> which) {
        Duration peakFrom = settings.peakStarts().plus(LoadSettings.PEAK_RAMP);
        return new Row(name, Recorder.stats(calls.stream().filter(which).toList(), seconds()),
                Recorder.stats(sentBetween(LoadSettings.RAMP_UP, settings.peakStarts()).stream().filter(which).toList(), 1).p99(),
                Recorder.stats(sentBetween(peakFrom, peakFrom.plus(LoadSettings.PEAK_HOLD)).stream().filter(which).toList(), 1).p99());
    }

    private Recorder.Stats base() {
        Duration from = LoadSettings.RAMP_UP;
        Duration to = settings.peakStarts();
        return Recorder.stats(sentBetween(from, to), to.minus(from).toMillis() / 1000.0);
    }

    private Recorder.Stats peak() {
        Duration from = settings.peakStarts().plus(LoadSettings.PEAK_RAMP);
        Duration to = from.plus(LoadSettings.PEAK_HOLD);
        return Recorder.stats(sentBetween(from, to), LoadSettings.PEAK_HOLD.toMillis() / 1000.0);
    }

    /** Unexpected answers by outcome and route. */
    private Map<String, Map<String, Long>> errors() {
        Map<String, Map<String, Long>> errors = new TreeMap<>();
        for (Recorder.Call call : calls) {
            if (!call.expected()) errors.computeIfAbsent(call.outcome(), o -> new TreeMap<>()).merge(call.route(), 1L, Long::sum);
        }
        return errors;
    }

    private Map<String, Long> refusals() {
        return calls.stream().filter(c -> c.expected() && c.status() >= 400)
                .collect(Collectors.groupingBy(c -> c.outcome() + " on " + c.route(), TreeMap::new, Collectors.counting()));
    }

    private String retries() {
        List<Recorder.Action> retried = recorder.actions().stream().filter(a -> a.attempts() > 1).toList();
        if (retried.isEmpty()) return "no write needed a retry";
        Map<String, Long> ended = retried.stream().collect(Collectors.groupingBy(a -> a.status() + (a.code() == null ? "" : " " + a.code()),
                TreeMap::new, Collectors.counting()));
        long longest = retried.stream().mapToLong(Recorder.Action::millis).max().orElse(0);
        return String.format(Locale.ROOT, "%d writes retried with their Idempotency-Key; they ended %s; the longest took %.1f s", retried.size(),
                ended, longest / 1000.0);
    }

    // ---- console ---------------------------------------------------------------------------------------

    String console() {
        StringBuilder out = new StringBuilder();
        Recorder.Stats all = Recorder.stats(calls, seconds());
        out.append(String.format(Locale.ROOT, "%n==== %s ====%n%s%n", settings.chaos() ? "Chaos run" : "Load run", settings.describe()));
        out.append(String.format(Locale.ROOT, "%,d requests in %.0f s: %.1f requests/s; base %.1f/s (p99 %d ms), month-end peak %.1f/s (p99 %d ms)%n",
                all.count(), seconds(), all.perSecond(), base().perSecond(), base().p99(), peak().perSecond(), peak().p99()));
        out.append(String.format(Locale.ROOT, "%-38s %8s %7s %7s %7s %7s %7s %7s %9s %9s%n", "route", "requests", "req/s", "p50 ms", "p95 ms",
                "p99 ms", "max ms", "errors", "p99 base", "p99 peak"));
        for (Row row : routes()) {
            Recorder.Stats s = row.stats();
            out.append(String.format(Locale.ROOT, "%-38s %8d %7.1f %7d %7d %7d %7d %7d %9d %9d%n", row.name(), s.count(), s.perSecond(), s.p50(),
                    s.p95(), s.p99(), s.max(), s.errors(), row.baseP99(), row.peakP99()));
        }
        out.append("Errors (answers the step did not expect), by status and code:\n");
        if (errors().isEmpty()) out.append("  none\n");
        errors().forEach((outcome, routes) -> out.append("  ").append(outcome).append(": ").append(routes).append('\n'));
        out.append("Expected refusals: ").append(refusals().isEmpty() ? "none" : refusals()).append('\n');
        out.append("Retries: ").append(retries()).append('\n');
        if (!recorder.skips().isEmpty()) out.append("Steps skipped: ").append(recorder.skips()).append('\n');
        out.append("API promises broken: ").append(recorder.surprises().isEmpty() ? "none" : recorder.surprises()).append('\n');
        out.append(String.format(Locale.ROOT, "Function instances at the end %s, %,d MB resident; %,d keys left unconfirmed%n", instances,
                residentMb, keysLeft));
        out.append("Machine load average (2 cores, shared with other builds) at the start and the end: ").append(recorder.machineLoads()).append('\n');
        out.append("The largest mint, before the load: ").append(largestMint).append('\n');
        for (Chaos.Fault fault : faults) {
            out.append(String.format(Locale.ROOT, "Fault at %.0f s, %s: %s; %s%n", fault.atSeconds(), fault.name(), clientsSaw(fault),
                    invariantLine(fault.invariants(), fault.held())));
        }
        out.append(invariants.text());
        stuckClaims().forEach(story -> out.append("  ").append(story).append('\n'));
        return out.toString();
    }

    // ---- markdown --------------------------------------------------------------------------------------

    void writeMarkdown(Path file) throws IOException {
        String section = settings.chaos() ? "chaos" : "load";
        String existing = Files.exists(file) ? Files.readString(file) : "";
        String begin = "<!-- " + section + ":begin -->";
        String end = "<!-- " + section + ":end -->";
        String body = begin + "\n" + markdown() + end;
        String text;
        int from = existing.indexOf(begin);
        int to = existing.indexOf(end);
        if (from >= 0 && to > from) text = existing.substring(0, from) + body + existing.substring(to + end.length());
        else if (existing.isBlank()) text = header() + (section.equals("load") ? body + "\n\n<!-- chaos:begin -->\n(no `make chaos` yet)\n<!-- chaos:end -->\n"
                : "<!-- load:begin -->\n(no `make load` yet)\n<!-- load:end -->\n\n" + body + "\n");
        else text = existing.stripTrailing() + "\n\n" + body + "\n";
        Files.writeString(file, text);
        LoadStack.log("report written to %s (Gatling's own HTML report: bench/load/target/gatling/)", file);
    }

    private static String header() {
        return """
                # Load and fault report

                Written by `make load` (the load section) and `make chaos` (the chaos section), each run rewriting its own
                section. The run starts its own local stack on loopback ports (`sam build` artifacts under the Lambda runtime
                emulator, dynoxide, cognito-local, aws-ses-v2-local), drives it with Gatling (bench/load), and checks the table's
                invariants afterwards (`make invariants`, functions/core `store/TableInvariants`). Figures are from a 2-core
                machine shared with other builds: compare runs with each other, not with AWS.

                """;
    }

    private String markdown() {
        StringBuilder md = new StringBuilder();
        Recorder.Stats all = Recorder.stats(calls, seconds());
        String when = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        md.append(settings.chaos() ? "## `make chaos`: the load with injected faults\n\n" : "## `make load`: a business day and its month-end peak\n\n");
        md.append(String.format(Locale.ROOT, "Run of %s: %s. %,d requests in %.0f s: **%.1f requests/s**; at the base rate %.1f/s (p99 %d ms), "
                        + "in the month-end peak %.1f/s (p99 %d ms).%n%n", when, settings.describe(), all.count(), seconds(), all.perSecond(),
                base().perSecond(), base().p99(), peak().perSecond(), peak().p99()));
        md.append("| Route | Requests | req/s | p50 ms | p95 ms | p99 ms | max ms | Errors | p99 at base | p99 in peak |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : routes()) {
            Recorder.Stats s = row.stats();
            String name = row.name().equals("all") ? "**all**" : "`" + row.name() + "`";
            md.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %d | %d | %d | %d | %d | %d | %d |%n", name, s.count(), s.perSecond(), s.p50(),
                    s.p95(), s.p99(), s.max(), s.errors(), row.baseP99(), row.peakP99()));
        }
        md.append("\n**Errors** (answers the step did not expect), by status and problem `code`:");
        if (errors().isEmpty()) md.append(" none.\n");
        else {
            md.append("\n\n| Status and code | Count by route |\n|---|---|\n");
            errors().forEach((outcome, routes) -> md.append("| ").append(outcome).append(" | ").append(routes).append(" |\n"));
        }
        md.append("\n**Expected refusals** (typos and unknown keys, as the scenario sends them): ")
                .append(refusals().isEmpty() ? "none" : refusals()).append(".\n\n");
        md.append("**Retries**: ").append(retries()).append(".\n\n");
        if (!recorder.skips().isEmpty()) md.append("**Steps skipped** for want of a key in the right state: ").append(recorder.skips()).append(".\n\n");
        md.append("**API promises broken** (e.g. a replayed mint answering another batch): ")
                .append(recorder.surprises().isEmpty() ? "none" : String.join("; ", recorder.surprises())).append(".\n\n");
        md.append(String.format(Locale.ROOT, "Function instances at the end: %s (%,d MB resident).%n%n", instances.entrySet().stream()
                .filter(e -> e.getValue() > 0).map(e -> e.getKey().replace("Function", "") + " " + e.getValue()).collect(Collectors.joining(", ")),
                residentMb));
        md.append("The machine's load average (2 cores, shared with other engineers' builds) was ").append(String.join(" at the start and ",
                recorder.machineLoads())).append(" at the end.\n\n");
        md.append("**The largest mint**, before the load started: ").append(largestMint).append(".\n\n");
        if (!coldAtStart.isEmpty()) {
            md.append("**Warming up**: instances whose warming request answered 5xx three times (a cold start past the 15 s timeout "
                    + "on the busy machine), measured cold: ").append(coldAtStart).append(".\n\n");
        }
        if (!faults.isEmpty()) {
            md.append("### Faults\n\nEach fault is injected while the load runs; \"clients saw\" is every request sent while it lasted "
                    + "(status and `code` x count), \"time to answer\" their p50 / max, \"writes\" the confirms, assigns, mints and voids that "
                    + "had to retry with their Idempotency-Key and how they ended; the invariants are checked once it is over, with the "
                    + "load held at a gate while the table is read.\n\n");
            md.append("| At | Fault | Clients saw | Time to answer | Writes retried | Invariants after | Notes |\n|---:|---|---|---|---|---|---|\n");
            for (Chaos.Fault fault : faults) {
                List<Recorder.Call> during = during(fault);
                long[] millis = during.stream().mapToLong(Recorder.Call::millis).sorted().toArray();
                md.append(String.format(Locale.ROOT, "| %.0f s | **%s**: %s | %s | %s | %s | %s | %s |%n", fault.atSeconds(), fault.name(),
                        fault.injected(), clientsSaw(fault), millis.length == 0 ? "-"
                                : String.format(Locale.ROOT, "%d ms / %.1f s", Recorder.percentile(millis, 50), millis[millis.length - 1] / 1000.0),
                        writesRetried(fault), invariantLine(fault.invariants(), fault.held()), String.join("; ", fault.notes()).replace("|", "/")));
            }
            md.append('\n');
        }
        md.append("### Invariants at the end\n\n```\n").append(invariants.text()).append("```\n");
        for (String story : stuckClaims()) md.append("\n- ").append(story);
        if (!stuckClaims().isEmpty()) md.append('\n');
        return md.toString();
    }

    private List<Recorder.Call> during(Chaos.Fault fault) {
        return calls.stream().filter(c -> c.sentAtMillis() >= fault.fromMillis() && c.sentAtMillis() <= fault.toMillis()).toList();
    }

    private String clientsSaw(Chaos.Fault fault) {
        List<Recorder.Call> during = during(fault);
        if (during.isEmpty()) return "no request in the window";
        Map<String, Long> outcomes = during.stream().collect(Collectors.groupingBy(Recorder.Call::outcome, TreeMap::new, Collectors.counting()));
        return during.size() + " requests: " + outcomes.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "));
    }

    private String writesRetried(Chaos.Fault fault) {
        long windowEnd = fault.toMillis() + 20_000;
        List<Recorder.Action> hit = recorder.actions().stream()
                .filter(a -> a.attempts() > 1 && a.endedAtMillis() >= fault.fromMillis() && a.startedAtMillis() <= windowEnd).toList();
        if (hit.isEmpty()) return "none";
        Map<String, Long> ended = hit.stream().collect(Collectors.groupingBy(a -> a.status() + (a.code() == null ? "" : " " + a.code()),
                TreeMap::new, Collectors.counting()));
        return String.format(Locale.ROOT, "%d, ended %s, longest %.1f s", hit.size(), ended, hit.stream().mapToLong(Recorder.Action::millis).max()
                .orElse(0) / 1000.0);
    }

    /** What the client of each Idempotency-Key claim left IN_PROGRESS saw: the story behind the violation. */
    private List<String> stuckClaims() {
        List<String> stories = new ArrayList<>();
        for (String violation : invariants.result(TableInvariants.IDEMPOTENCY).violations()) {
            String hash = Chaos.claimHash(violation);
            var calls = this.calls.stream().filter(c -> c.idempotencyKey() != null && Recorder.hash(c.idempotencyKey()).equals(hash)).toList();
            if (calls.isEmpty()) {
                stories.add("claim " + hash + ": " + probes.getOrDefault(hash, "sent by no client of the run (the warm-up)"));
                continue;
            }
            long first = calls.getFirst().sentAtMillis();
            stories.add(String.format(Locale.ROOT, "claim %s (%s): its client sent it %d times from %.0f s: %s", hash, calls.getFirst().route(),
                    calls.size(), (first - recorder.startedAtMillis()) / 1000.0, calls.stream()
                            .map(c -> String.format(Locale.ROOT, "%.0f s %s", (c.sentAtMillis() - recorder.startedAtMillis()) / 1000.0, c.outcome()))
                            .collect(Collectors.joining(", "))));
        }
        return stories;
    }

    static String invariantLine(InvariantReport report, boolean held) {
        long lost = report.result(TableInvariants.EMAIL_PER_ACTIVATION).count("lost") + report.result(TableInvariants.EMAIL_ACCOUNTED).count("lost")
                + (hasSentOnce(report) ? report.result(TableInvariants.EMAIL_SENT_ONCE).count("lost") : 0);
        long duplicated = hasSentOnce(report) ? report.result(TableInvariants.EMAIL_SENT_ONCE).count("duplicated") : 0;
        var accounted = report.result(TableInvariants.EMAIL_ACCOUNTED);
        String line = String.format(Locale.ROOT, "%s: %d lost, %d duplicated, %d SENDING (accounted for), %d FAILED (dead letters)",
                held ? "hold" : "VIOLATED", lost, duplicated, accounted.count("SENDING"), accounted.count("FAILED"));
        List<String> broken = held ? List.of() : report.results().stream().filter(r -> !r.ok()).map(r -> r.name() + " " + r.violations().size()).toList();
        return broken.isEmpty() ? line : line + "; broken: " + String.join(", ", broken);
    }

    private static boolean hasSentOnce(InvariantReport report) {
        return report.results().stream().anyMatch(r -> r.name().equals(TableInvariants.EMAIL_SENT_ONCE));
    }
}
