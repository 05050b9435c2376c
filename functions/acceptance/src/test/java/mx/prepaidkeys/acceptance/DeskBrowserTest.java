package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mx.prepaidkeys.local.Emulators;
import org.junit.jupiter.api.Test;

/**
 * The desk (web/) in Debian's Chromium against this run's local stack: web/tests/*.test.mjs, run by
 * Node with playwright-core, walk the walkthrough's screens and the back office's, sign in as Cognito
 * asks (temporary and forgotten passwords, renewals, tabs), replay issue 18's bugs, run axe-core on
 * every screen and the whole flow with the keyboard alone, and save a screenshot of each screen
 * (make screens copies them to docs/screens) with axe's results per screen.
 */
class DeskBrowserTest {
    private final TestStack stack = TestStack.get();

    @Test
    void the_desk_walks_through_every_screen_in_a_real_browser() throws Exception {
        Path root = Emulators.repositoryRoot();
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        assertTrue(Files.isExecutable(Path.of(chromium)), "Chromium is installed (apt-get install chromium): " + chromium);
        assertTrue(Files.isRegularFile(root.resolve("web/dist/index.html")), "the desk is built (make web)");
        Path screens = root.resolve("functions/acceptance/target/screens");
        Path log = root.resolve("functions/acceptance/target/desk-browser-test.log");
        // axe's results of an earlier run would read as this run's
        if (Files.isDirectory(screens)) {
            try (var old = Files.newDirectoryStream(screens, "axe-*.json")) {
                for (Path file : old) Files.delete(file);
            }
        }
        ProcessBuilder node = new ProcessBuilder(List.of("node", "--test", "--test-reporter=spec", "tests/"))
                .directory(root.resolve("web").toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        node.environment().put("STACK_FILE", root.resolve("functions/acceptance/target/local-stack/stack.json").toString());
        node.environment().put("SCREENS_DIR", screens.toString());
        node.environment().put("CHROMIUM", chromium);
        Process process = node.start();
        boolean finished = process.waitFor(12, TimeUnit.MINUTES);
        if (!finished) process.destroyForcibly();
        String output = Files.readString(log);
        System.out.println(output);
        assertTrue(finished, "the browser tests finished within 12 minutes");
        assertEquals(0, process.exitValue(), "the browser tests passed (see the output above)");
        var count = java.util.regex.Pattern.compile("(?m)^ℹ tests (\\d+)").matcher(output);
        try (var files = Files.list(screens)) {
            System.out.printf("desk: %s browser tests passed; %d screenshots in %s%n", count.find() ? count.group(1) : "the",
                    files.filter(f -> f.toString().endsWith(".png")).count(), root.relativize(screens));
        }
        System.out.print(axeSummary(screens));
    }

    /** One line per screen axe-core checked: how many of its rules passed, and any violation (none serious or critical, or the tests failed). */
    private static String axeSummary(Path screens) throws java.io.IOException {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        StringBuilder out = new StringBuilder("desk: axe-core per screen (rules passed; violations by impact)\n");
        try (var files = Files.newDirectoryStream(screens, "axe-*.json")) {
            for (Path file : files) {
                for (var screen : json.readTree(file.toFile())) {
                    StringBuilder violations = new StringBuilder();
                    for (var v : screen.path("violations")) {
                        violations.append(' ').append(v.path("id").asText()).append(" (").append(v.path("impact").asText()).append(')');
                    }
                    out.append(String.format("  %-40s %3d passed; violations:%s%n", screen.path("screen").asText(),
                            screen.path("passes").asInt(), violations.isEmpty() ? " none" : violations));
                }
            }
        }
        return out.toString();
    }
}
