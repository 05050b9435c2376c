package mx.prepaidkeys.log;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line on standard output, which CloudWatch Logs indexes field by field. The
 * request context (request id, route) set by the edge is added to every line of that request.
 * Callers pass facts, never secrets: no plain key, token or email body goes in here.
 */
public final class JsonLog {
    private static final ThreadLocal<Map<String, Object>> CONTEXT = ThreadLocal.withInitial(LinkedHashMap::new);
    private static volatile PrintStream out = System.out;
    private static final ThreadLocal<Boolean> QUIET = ThreadLocal.withInitial(() -> false);

    private JsonLog() {}

    public static void info(String event, Map<String, ?> fields) {
        write("INFO", event, fields);
    }

    public static void warn(String event, Map<String, ?> fields) {
        write("WARN", event, fields);
    }

    public static void error(String event, Map<String, ?> fields) {
        write("ERROR", event, fields);
    }

    /** Fields added to every line written by this thread until {@link #clearContext()}. */
    public static void putContext(String name, Object value) {
        if (value != null) CONTEXT.get().put(name, value);
    }

    public static void clearContext() {
        CONTEXT.get().clear();
    }

    /**
     * Runs {@code work} with this thread's INFO lines built but not written: SnapStart priming sends
     * dozens of synthetic requests, whose lines would only be noise in the function's log.
     */
    public static void quietly(Runnable work) {
        QUIET.set(true);
        try {
            work.run();
        } finally {
            QUIET.set(false);
        }
    }

    /** This thread's request context: {@link Metrics} labels a request's metrics with it. */
    static Map<String, Object> context() {
        return Map.copyOf(CONTEXT.get());
    }

    /** A line built elsewhere ({@link Metrics}), written like an INFO line: not while priming. */
    static void writeLine(String line) {
        if (!QUIET.get()) out.println(line);
    }

    /** Tests capture the output to prove what is (and is not) logged. */
    public static void redirect(PrintStream stream) {
        out = stream;
    }

    private static void write(String level, String event, Map<String, ?> fields) {
        StringBuilder line = new StringBuilder(256);
        line.append("{\"timestamp\":\"").append(Instant.now()).append("\",\"level\":\"").append(level)
                .append("\",\"event\":");
        quote(line, event);
        Map<String, Object> all = new LinkedHashMap<>(CONTEXT.get());
        all.putAll(fields); // one member per name: a line stays valid JSON for every reader
        for (Map.Entry<String, Object> entry : all.entrySet()) field(line, entry.getKey(), entry.getValue());
        line.append('}');
        if (QUIET.get() && level.equals("INFO")) return;
        out.println(line);
    }

    private static void field(StringBuilder line, String name, Object value) {
        if (value == null) return;
        line.append(',');
        quote(line, name);
        line.append(':');
        if (value instanceof Number || value instanceof Boolean) line.append(value);
        else quote(line, value.toString());
    }

    private static void quote(StringBuilder line, String text) {
        line.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < 0x20) line.append(String.format("\\u%04x", (int) c));
                    else line.append(c);
                }
            }
        }
        line.append('"');
    }
}
