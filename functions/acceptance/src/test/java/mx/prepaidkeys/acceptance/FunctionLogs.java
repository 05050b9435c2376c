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

    private static final Path DIR = Emulators.repositoryRoot().resolve("functions/acceptance/target/local-stack/logs/functions");

    private FunctionLogs() {
    }

    static String about(ApiClient.Reply reply) {
        if (reply.status() < 500 || reply.json() == null || !reply.json().path("code").asText().startsWith("FUNCTION_")) return "";
        String requestId = reply.json().path("requestId").asText();
        List<String> found = new ArrayList<>();
        try (Stream<Path> logs = Files.exists(DIR) ? Files.list(DIR) : Stream.empty()) {
            for (Path log : logs.sorted().toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    // a function that threw before it knew the request logs the runtime's error instead
                    boolean fault = line.contains("errorType") || line.contains("Exception") || line.contains("\"level\":\"ERROR\"")
                            || line.contains("Runtime.") || line.contains("OutOfMemory");
                    if (!line.contains(requestId) && !fault) continue;
                    // the line naming the request, and what follows it: a stack trace, the emulator's report
                    for (int j = i; j < Math.min(lines.size(), i + 12); j++) found.add(log.getFileName() + ": " + lines.get(j));
                }
            }
        } catch (IOException unreadable) {
            found.add("(the function logs could not be read: " + unreadable + ")");
        }
        return found.isEmpty() ? "; no function log names request " + requestId
                : "; the function logs on request " + requestId + " and their faults:\n"
                        + String.join("\n", found.subList(Math.max(0, found.size() - 80), found.size()));
    }
}
