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
 * The desk (web/) in Debian's Chromium against this run's local stack: web/tests/desk.test.mjs,
 * run by Node with playwright-core, walks the walkthrough's screens and the back office's, and
 * saves a screenshot of each (make screens copies them to docs/screens).
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
        ProcessBuilder node = new ProcessBuilder(List.of("node", "--test", "--test-reporter=spec", "tests/"))
                .directory(root.resolve("web").toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        node.environment().put("STACK_FILE", root.resolve("functions/acceptance/target/local-stack/stack.json").toString());
        node.environment().put("SCREENS_DIR", screens.toString());
        node.environment().put("CHROMIUM", chromium);
        Process process = node.start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) process.destroyForcibly();
        String output = Files.readString(log);
        System.out.println(output);
        assertTrue(finished, "the browser tests finished within 5 minutes");
        assertEquals(0, process.exitValue(), "the browser tests passed (see the output above)");
        try (var files = Files.list(screens)) {
            System.out.printf("desk: browser tests passed; %d screenshots in %s%n", files.count(), root.relativize(screens));
        }
    }
}
