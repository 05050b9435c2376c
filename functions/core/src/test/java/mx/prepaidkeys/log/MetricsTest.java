package mx.prepaidkeys.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The metrics of a request travel in one log line of their own, as CloudWatch's embedded metric
 * format specifies it: an {@code _aws} directive naming the namespace, the dimension sets and each
 * metric with its unit, and every one of them a member of the line (dimensions as strings, metrics as
 * a number or a list of numbers).
 */
class MetricsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void capture() {
        JsonLog.redirect(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        JsonLog.redirect(System.out);
    }

    @Test
    void a_requests_metrics_are_one_embedded_metric_format_document_naming_its_route() {
        JsonLog.putContext("requestId", "req-1");
        JsonLog.putContext("route", "POST /v1/prepaid-keys/confirm");
        JsonLog.putContext("keyId", "01JCONFIDENTIAL");
        Metrics.count(Metric.ACTIVATIONS);
        Metrics.measure(Metric.LATENCY, 12.5);
        Metrics.flush();
        JsonLog.clearContext();

        Map<String, JsonNode> line = onlyLine();
        assertEquals("POST /v1/prepaid-keys/confirm", line.get("route").asString(), "found beside the request's own line");
        assertEquals("req-1", line.get("requestId").asString());
        assertFalse(line.containsKey("keyId"), "only the request id and route of the context: " + line.keySet());
        Map<String, JsonNode> aws = line.get("_aws").asObject();
        assertTrue(aws.get("Timestamp").isNumber());
        List<JsonNode> directives = aws.get("CloudWatchMetrics").asArray();
        assertEquals(1, directives.size());
        Map<String, JsonNode> directive = directives.getFirst().asObject();
        assertEquals("PrepaidKeys", directive.get("Namespace").asString());
        List<List<String>> dimensions = directive.get("Dimensions").asArray().stream()
                .map(set -> set.asArray().stream().map(JsonNode::asString).toList()).toList();
        assertEquals(List.of(List.of("service"), List.of("service", "function")), dimensions, "totals, and per function: never per key or user");
        assertEquals("local", line.get("function").asString(), "AWS_LAMBDA_FUNCTION_NAME, off Lambda");
        for (List<String> set : dimensions) {
            for (String dimension : set) assertTrue(line.get(dimension).isString(), dimension + " is a string member of the line");
        }
        Map<String, String> units = new java.util.TreeMap<>();
        for (JsonNode metric : directive.get("Metrics").asArray()) {
            units.put(metric.asObject().get("Name").asString(), metric.asObject().get("Unit").asString());
        }
        assertEquals(Map.of("Activations", "Count", "Latency", "Milliseconds"), units);
        assertEquals(1, Double.parseDouble(line.get("Activations").asNumber()));
        assertEquals(12.5, Double.parseDouble(line.get("Latency").asNumber()));
    }

    @Test
    void counts_add_up_and_each_measurement_is_a_value_of_its_own() {
        Metrics.count(Metric.FAILED_ATTEMPTS);
        Metrics.count(Metric.FAILED_ATTEMPTS);
        Metrics.measure(Metric.STREAM_LAG, 1000);
        Metrics.measure(Metric.STREAM_LAG, 250.25);
        Metrics.flush();

        Map<String, JsonNode> line = onlyLine();
        assertEquals(2, Double.parseDouble(line.get("FailedAttempts").asNumber()));
        assertEquals(List.of(1000.0, 250.25), line.get("StreamLag").asArray().stream().map(n -> Double.parseDouble(n.asNumber())).toList());
    }

    @Test
    void metrics_go_out_once_and_a_request_without_any_writes_no_line() {
        Metrics.count(Metric.ASSIGNMENTS);
        JsonLog.info("something_else", Map.of());
        Metrics.flush();
        Metrics.flush();

        List<Map<String, JsonNode>> lines = lines();
        assertEquals(2, lines.size());
        assertFalse(lines.get(0).containsKey("_aws"), "a plain line carries no metrics");
        assertEquals(1, Double.parseDouble(lines.get(1).get("Assignments").asNumber()));
    }

    @Test
    void the_metrics_of_a_line_left_unwritten_during_priming_are_forgotten_with_it() {
        JsonLog.quietly(() -> {
            Metrics.count(Metric.LOCKOUTS);
            Metrics.flush();
        });
        Metrics.flush();

        assertEquals("", out.toString(StandardCharsets.UTF_8), "priming's synthetic requests are not counted");
    }

    @Test
    void past_the_formats_hundred_values_of_a_metric_the_rest_go_in_another_line() {
        for (int i = 0; i < 150; i++) Metrics.measure(Metric.LATENCY, i);
        Metrics.flush();

        List<Map<String, JsonNode>> lines = lines();
        assertEquals(2, lines.size());
        assertEquals(150, lines.stream().mapToInt(line -> line.get("Latency").asArray().size()).sum());
    }

    private Map<String, JsonNode> onlyLine() {
        List<Map<String, JsonNode>> lines = lines();
        assertEquals(1, lines.size(), out.toString(StandardCharsets.UTF_8));
        return lines.getFirst();
    }

    private List<Map<String, JsonNode>> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().map(l -> JsonNode.parser().parse(l).asObject()).toList();
    }
}
