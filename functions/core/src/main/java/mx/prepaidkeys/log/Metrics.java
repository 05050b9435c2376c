package mx.prepaidkeys.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;

/**
 * The metrics a request (or a stream batch) produced, written when it ends as one line in CloudWatch's
 * embedded metric format, built by AWS's library for it ({@code aws-embedded-metrics}, its model and
 * serialiser; the line goes out through {@link JsonLog}'s stream): CloudWatch Logs turns the line into
 * metrics as it ingests it. No API call on the request path. The library's own logger is not used: it
 * would pick its output by probing the environment (off Lambda, EC2's metadata endpoint, then a
 * CloudWatch agent over TCP).
 *
 * <p>Use cases record ({@link #count}, {@link #measure}) wherever the event happens; the edge and the
 * notifier {@link #flush} once per request or batch, so a request costs one metrics line however many
 * events it had.
 *
 * <p>Dimensions are the service (the stack: {@code SERVICE_NAME}, which template.yaml sets to the stack
 * name) and the function ({@code AWS_LAMBDA_FUNCTION_NAME}; one function serves one route), and every
 * metric is also emitted under the service alone, for totals. Never a key, a user or a distributor:
 * each distinct value would be a metric of its own, billed, and a map of who does what.
 */
public final class Metrics {
    public static final String NAMESPACE = "PrepaidKeys";
    /** Context members (JsonLog's request context) copied into the line, to find the request's own log line. */
    private static final List<String> PROPERTIES = List.of("requestId", "route");

    private static final String SERVICE = named(System.getenv("SERVICE_NAME"), "prepaid-keys");
    private static final String FUNCTION = named(System.getenv("AWS_LAMBDA_FUNCTION_NAME"), "local");
    private static final ThreadLocal<Map<Metric, List<Double>>> PENDING = ThreadLocal.withInitial(() -> new EnumMap<>(Metric.class));

    private Metrics() {}

    /** One more of a counted event ({@link Metric#unit()} COUNT) in this thread's current request. */
    public static void count(Metric metric) {
        List<Double> values = PENDING.get().computeIfAbsent(metric, m -> new ArrayList<>(1));
        if (values.isEmpty()) values.add(1.0);
        else values.set(0, values.getFirst() + 1);
    }

    /** One measurement (a latency, a lag) in this thread's current request; each is a sample of the metric's statistics. */
    public static void measure(Metric metric, double value) {
        if (!Double.isFinite(value)) return;
        PENDING.get().computeIfAbsent(metric, m -> new ArrayList<>(1)).add(value);
    }

    /**
     * Writes what this thread recorded since its last flush as one embedded-metric-format line (more
     * only past the format's 100 values of a metric), and forgets it. Nothing when nothing was
     * recorded. While priming ({@link JsonLog#quietly}) the line is built, which loads the library's
     * serialiser into the snapshot, but not written: SnapStart's synthetic requests are not traffic.
     */
    public static void flush() {
        Map<Metric, List<Double>> pending = PENDING.get();
        if (pending.isEmpty()) return;
        try {
            MetricsContext metrics = new MetricsContext();
            metrics.setNamespace(NAMESPACE);
            metrics.setDimensions(false, DimensionSet.of("service", SERVICE), DimensionSet.of("service", SERVICE, "function", FUNCTION));
            Map<String, Object> context = JsonLog.context();
            for (String property : PROPERTIES) {
                if (context.get(property) != null) metrics.putProperty(property, context.get(property).toString());
            }
            pending.forEach((metric, values) -> values.forEach(value -> metrics.putMetric(metric.metricName(), value, metric.unit())));
            for (String line : metrics.serialize()) JsonLog.writeLine(line);
        } catch (JsonProcessingException | RuntimeException e) {
            // a metric is never worth a failed request
            JsonLog.warn("metrics_not_written", Map.of("error", e.getClass().getSimpleName()));
        } finally {
            pending.clear();
        }
    }

    private static String named(String value, String otherwise) {
        return value == null || value.isBlank() ? otherwise : value;
    }
}
