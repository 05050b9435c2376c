package mx.prepaidkeys.acceptance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import mx.prepaidkeys.local.Emulators;

/**
 * What the functions' logs say about a request the gateway answered for them (502/503/504): CI
 * keeps only the test's failure message, so the cause has to travel in it.
 */
final class FunctionLogs {

    /** The stack's function logs (functions/) and those of the runtimes tests stage (functions-<name>/). */
    private static final Path LOGS = Emulators.repositoryRoot().resolve("functions/acceptance/target/local-stack/logs");

    private FunctionLogs() {
    }

    static String about(ApiClient.Reply reply) {
        if (reply.status() < 500 || reply.json() == null || !reply.json().path("code").asText().startsWith("FUNCTION_")) return "";
        String requestId = reply.json().path("requestId").asText();
        List<String> found = new ArrayList<>();
        List<String> faults = new ArrayList<>();
        java.util.Set<String> ids = new java.util.LinkedHashSet<>(List.of(requestId));
        var invocation = java.util.regex.Pattern.compile("gave no answer to " + java.util.regex.Pattern.quote(requestId) + " \\(invocation ([0-9a-f-]+)\\)");
        try (Stream<Path> logs = Files.exists(LOGS) ? Files.walk(LOGS, 2) : Stream.empty()) {
            List<Path> files = logs.filter(p -> p.getParent().getFileName().toString().startsWith("functions") && p.toString().endsWith(".log"))
                    .sorted().toList();
            for (Path log : files) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    var m = invocation.matcher(line);
                    if (m.find()) ids.add(m.group(1));
                }
            }
            for (Path log : files) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    // a function that threw before it knew the request logs the runtime's error instead
                    boolean fault = line.contains("errorType") || line.contains("Exception") || line.contains("\"level\":\"ERROR\"")
                            || line.contains("Runtime.") || line.contains("OutOfMemory");
                    if (ids.stream().anyMatch(line::contains)) {
                        // the line naming the request, and what follows it: a stack trace, the emulator's report
                        for (int j = i; j < Math.min(lines.size(), i + 12); j++) found.add(LOGS.relativize(log) + ": " + lines.get(j));
                    } else if (fault) {
                        faults.add(LOGS.relativize(log) + ": " + line);
                    }
                }
            }
        } catch (IOException unreadable) {
            found.add("(the function logs could not be read: " + unreadable + ")");
        }
        return (found.isEmpty() ? "; no function log names request " + requestId
                : "; the function logs on request " + requestId + ":\n" + String.join("\n", found.subList(0, Math.min(found.size(), 60))))
                + "\nthe functions' last faults:\n" + String.join("\n", faults.subList(Math.max(0, faults.size() - 20), faults.size()));
    }
}
