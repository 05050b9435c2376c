package mx.prepaidkeys.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * `make metrics`: what CloudWatch would make of the functions' logs, read from the local stack's
 * (.local/logs/functions/). Every line in CloudWatch's embedded metric format (an {@code _aws}
 * member) gives its metrics' values; counts are summed, times summarised (how many, p50, p99, max),
 * per metric and function, with the service's total of each metric.
 */
public final class MetricsSummary {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALL = "(all functions)";

    /** The values of one metric of one function, and its unit. */
    public record Series(String unit, List<Double> values) {
        double sum() {
            return values.stream().mapToDouble(Double::doubleValue).sum();
        }

        double percentile(double p) {
            List<Double> sorted = values.stream().sorted().toList();
            return sorted.get(Math.max(0, (int) Math.ceil(p / 100 * sorted.size()) - 1));
        }
    }

    private final Map<String, Map<String, Series>> metrics = new TreeMap<>();

    private MetricsSummary() {}

    /** Every metric line of every log file in {@code logs}. */
    public static MetricsSummary read(Path logs) {
        MetricsSummary summary = new MetricsSummary();
        if (!Files.isDirectory(logs)) return summary;
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                try (Stream<String> lines = Files.lines(file)) {
                    lines.filter(line -> line.startsWith("{") && line.contains("\"_aws\"")).forEach(summary::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return summary;
    }

    /** The values of {@code metric} written by {@code function} (a logical id locally), or of all functions with null. */
    public Series series(String metric, String function) {
        return metrics.getOrDefault(metric, Map.of()).get(function == null ? ALL : function);
    }

    private void add(String text) {
        JsonNode line;
        try {
            line = JSON.readTree(text);
        } catch (IOException notJson) {
            return;
        }
        String function = line.path("function").asText("?");
        for (JsonNode directive : line.path("_aws").path("CloudWatchMetrics")) {
            for (JsonNode metric : directive.path("Metrics")) {
                String name = metric.path("Name").asText();
                JsonNode value = line.path(name);
                List<Double> values = new ArrayList<>();
                if (value.isArray()) value.forEach(v -> values.add(v.asDouble()));
                else if (value.isNumber()) values.add(value.asDouble());
                for (String key : List.of(function, ALL)) {
                    metrics.computeIfAbsent(name, n -> new TreeMap<>())
                            .computeIfAbsent(key, k -> new Series(metric.path("Unit").asText("None"), new ArrayList<>())).values().addAll(values);
                }
            }
        }
    }

    /** One row per metric and function, the service's total first. */
    public String table() {
        if (metrics.isEmpty()) return "no metric lines yet: use the service (make run, then the desk or make invoke), then make metrics again";
        StringBuilder out = new StringBuilder(String.format("%-16s %-22s %10s %10s %10s %10s%n", "metric", "function", "count/sum", "p50 ms", "p99 ms", "max ms"));
        metrics.forEach((name, byFunction) -> byFunction.entrySet().stream()
                .sorted((a, b) -> a.getKey().equals(ALL) ? -1 : b.getKey().equals(ALL) ? 1 : a.getKey().compareTo(b.getKey()))
                .forEach(entry -> {
                    Series series = entry.getValue();
                    if (series.values().isEmpty()) return;
                    if (series.unit().equals("Milliseconds")) {
                        out.append(String.format("%-16s %-22s %10d %10.1f %10.1f %10.1f%n", name, entry.getKey(), series.values().size(),
                                series.percentile(50), series.percentile(99), series.percentile(100)));
                    } else {
                        out.append(String.format("%-16s %-22s %10.0f%n", name, entry.getKey(), series.sum()));
                    }
                }));
        return out.toString();
    }
}
