package mx.prepaidkeys.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import mx.prepaidkeys.local.Emulators;

/**
 * The sample events of events/, one per route (the "-ok" one where a route has several): a
 * well-formed request of every route, for the tests that walk all routes and bend them.
 */
final class SampleEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request as a client sends it: path with query, and body (null when none). */
    record Sample(String routeKey, String method, String path, String body) {}

    private SampleEvents() {}

    static Map<String, Sample> byRoute() {
        Map<String, Sample> samples = new TreeMap<>();
        try (Stream<Path> files = Files.list(Emulators.repositoryRoot().resolve("events"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode event = JSON.readTree(file.toFile());
                if (!event.has("routeKey")) continue; // a stream record, not a request
                String routeKey = event.path("routeKey").asText();
                String query = event.path("rawQueryString").asText("");
                Sample sample = new Sample(routeKey, routeKey.split(" ")[0], event.path("rawPath").asText() + (query.isEmpty() ? "" : "?" + query),
                        event.path("body").isTextual() ? event.path("body").asText() : null);
                boolean preferred = file.getFileName().toString().contains("-ok");
                if (preferred || !samples.containsKey(routeKey)) samples.put(routeKey, sample);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return samples;
    }
}
