package mx.prepaidkeys.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link TableInvariants} found: one result per invariant, with its counts and the items that
 * break it. A result that is only counted (dead letters) never fails.
 */
public record InvariantReport(String table, long itemsRead, List<Result> results, List<String> notes, Activations activations) {
    /** How many violations of one invariant are named one by one; the rest are only counted. */
    static final int NAMED_VIOLATIONS = 20;

    /** How the text names the keys voided before any distributor held them. */
    public static final String NO_DISTRIBUTOR = "(none)";

    /** Keys that were activated, assigned and voided, as the keys themselves say (every day the table holds). */
    public record Tally(long activated, long assigned, long voided) {
        static final Tally ZERO = new Tally(0, 0, 0);

        Tally plus(Tally other) {
            return new Tally(activated + other.activated, assigned + other.assigned, voided + other.voided);
        }
    }

    /**
     * The keys' activations grouped as the back office's activation report groups them (by the
     * distributor that activated the key, {@value #NO_DISTRIBUTOR} for a key voided before that; by
     * product SKU): after a load run, that report over the run's days adds up to the same figures.
     */
    public record Activations(Map<String, Tally> byDistributor, Map<String, Tally> byProduct) {
        public Activations {
            byDistributor = java.util.Collections.unmodifiableMap(new TreeMap<>(byDistributor));
            byProduct = java.util.Collections.unmodifiableMap(new TreeMap<>(byProduct));
        }

        public Tally total() {
            return byProduct.values().stream().reduce(Tally.ZERO, Tally::plus);
        }

        /** Two tables, "by distributor" and "by product", each row {@code group activated assigned voided}, then the total. */
        public String text() {
            StringBuilder out = new StringBuilder();
            table(out, "distributor", byDistributor);
            table(out, "product", byProduct);
            return out.toString();
        }

        private void table(StringBuilder out, String groupedBy, Map<String, Tally> rows) {
            int width = Math.max(12, rows.keySet().stream().mapToInt(String::length).max().orElse(0));
            out.append("Activations by ").append(groupedBy).append(" (keys activated, assigned, voided; every day):\n");
            String format = "  %-" + width + "s  %9s  %9s  %9s%n";
            out.append(String.format(Locale.ROOT, format, groupedBy, "activated", "assigned", "voided"));
            rows.forEach((group, tally) -> row(out, format, group, tally));
            row(out, format, "total", total());
        }

        private static void row(StringBuilder out, String format, String group, Tally tally) {
            out.append(String.format(Locale.ROOT, format, group, String.format(Locale.ROOT, "%,d", tally.activated()),
                    String.format(Locale.ROOT, "%,d", tally.assigned()), String.format(Locale.ROOT, "%,d", tally.voided())));
        }
    }

    /**
     * @param summary    the counts, as a person reads them ("1,204 activated, 1,204 with their email: 0 lost")
     * @param counts     the same counts by name, for tools (the load report)
     * @param violations what breaks the invariant, one line per item (key id, distributor ...)
     * @param keys       keys that ops may act on without a violation (the dead letters to resend ...)
     */
    public record Result(String name, String description, String summary, Map<String, Long> counts, List<String> violations,
                         List<String> keys) {
        public boolean ok() {
            return violations.isEmpty();
        }

        public long count(String name) {
            return counts.getOrDefault(name, 0L);
        }
    }

    public boolean ok() {
        return results.stream().allMatch(Result::ok);
    }

    public long violations() {
        return results.stream().mapToLong(r -> r.violations().size()).sum();
    }

    public Result result(String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no invariant " + name));
    }

    /** The report as the CLI prints it: one line per invariant, then the first violations of each. */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Invariants of table %s (%,d items read):%n", table, itemsRead));
        int width = results.stream().mapToInt(r -> r.name().length()).max().orElse(10);
        for (Result result : results) {
            out.append(String.format(Locale.ROOT, "  %-4s  %-" + width + "s  %s%n", result.ok() ? "ok" : "FAIL", result.name(), result.summary()));
            List<String> shown = result.violations().subList(0, Math.min(NAMED_VIOLATIONS, result.violations().size()));
            for (String violation : shown) out.append("          - ").append(violation).append('\n');
            if (!result.keys().isEmpty()) {
                out.append("          keys: ").append(String.join(", ", result.keys().subList(0, Math.min(NAMED_VIOLATIONS, result.keys().size()))))
                        .append(result.keys().size() > NAMED_VIOLATIONS ? String.format(Locale.ROOT, " ... and %,d more", result.keys().size() - NAMED_VIOLATIONS) : "")
                        .append('\n');
            }
            if (result.violations().size() > shown.size()) {
                out.append(String.format(Locale.ROOT, "          ... and %,d more%n", result.violations().size() - shown.size()));
            }
        }
        for (String note : notes) out.append("  note: ").append(note).append('\n');
        out.append(ok() ? "All invariants hold.\n" : String.format(Locale.ROOT, "%,d violations.%n", violations()));
        out.append(activations.text());
        return out.toString();
    }

    /** Collects one invariant's counts and violations while the checks run. */
    static final class Builder {
        private final String name;
        private final String description;
        private final Map<String, Long> counts = new LinkedHashMap<>();
        private final List<String> violations = new ArrayList<>();
        private final List<String> keys = new ArrayList<>();

        Builder(String name, String description) {
            this.name = name;
            this.description = description;
        }

        Builder add(String count, long by) {
            counts.merge(count, by, Long::sum);
            return this;
        }

        Builder count(String count) {
            return add(count, 1);
        }

        Builder set(String count, long value) {
            counts.put(count, value);
            return this;
        }

        long get(String count) {
            return counts.getOrDefault(count, 0L);
        }

        Builder key(String keyId) {
            keys.add(keyId);
            return this;
        }

        Builder violation(String what) {
            violations.add(what);
            return this;
        }

        long violationCount() {
            return violations.size();
        }

        Map<String, Long> counts() {
            return counts;
        }

        Result build(String summary) {
            return new Result(name, description, summary, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts)),
                    List.copyOf(violations), List.copyOf(keys));
        }
    }
}
