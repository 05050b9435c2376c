package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import mx.prepaidkeys.local.Emulators;
import mx.prepaidkeys.local.SamTemplate;
import org.junit.jupiter.api.Test;

/**
 * SnapStart priming runs before every snapshot of every function, against the real table: it must
 * run through (a failure would only cost speed, so it would go unnoticed) and write nothing.
 */
class PrimingTest {
    private final TestStack stack = TestStack.get();

    @Test
    void every_function_primes_itself_without_writing_anything() throws Exception {
        String table = stack.newTable();
        TableChanges changes = new TableChanges(stack, table);
        var functions = SamTemplate.load(Emulators.repositoryRoot().resolve("template.yaml")).functions();
        for (var function : functions) {
            var constructor = Class.forName(function.handlerClass()).getConstructor();
            Object handler = mx.prepaidkeys.config.HandlerContext.inProcess(stack.properties(table), () -> {
                try {
                    return constructor.newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(function.logicalId(), e);
                }
            });
            boolean primed = (boolean) handler.getClass().getMethod("primeNow").invoke(handler);
            ((AutoCloseable) handler).close();
            assertTrue(primed, function.logicalId() + " primes itself");
        }
        assertEquals(List.of(), changes.since(0), "priming wrote nothing");
        System.out.printf("priming: %d functions primed against the table, 0 writes%n", functions.size());
    }
}
