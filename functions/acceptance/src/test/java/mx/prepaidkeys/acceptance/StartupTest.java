package mx.prepaidkeys.acceptance;

import mx.prepaidkeys.config.HandlerContext;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import mx.prepaidkeys.api.capture.CaptureHandler;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.api.confirm.ConfirmHandler;
import mx.prepaidkeys.api.list.ListHandler;
import org.junit.jupiter.api.Test;

/**
 * A function that is missing a setting refuses to start, and says which one, before any request
 * (the handlers in-process: the message is the point here; RuntimeContractTest starts every
 * function as Lambda does, with only its template environment, and shows the same under the runtime).
 */
class StartupTest {

    @Test
    void without_the_pepper_no_function_starts() {
        for (var start : java.util.List.<java.util.function.Function<Map<String, Object>, Object>>of(
                p -> HandlerContext.inProcess(p, CaptureHandler::new),
                p -> HandlerContext.inProcess(p, ConfirmHandler::new),
                p -> HandlerContext.inProcess(p, ListHandler::new))) {
            assertStartFails(start, ServiceSettings.KEY_PEPPER, null, "KEY_PEPPER is not set");
            assertStartFails(start, ServiceSettings.KEY_PEPPER, "short", "KEY_PEPPER is too short");
            assertStartFails(start, ServiceSettings.TABLE_NAME, null, "TABLE_NAME is not set");
        }
    }

    @Test
    void the_notifier_needs_its_sender_address() {
        assertStartFails(p -> HandlerContext.inProcess(p, mx.prepaidkeys.notifier.NotifierHandler::new),
                ServiceSettings.SENDER_ADDRESS, null, "SENDER_ADDRESS is not set");
    }

    private static void assertStartFails(java.util.function.Function<Map<String, Object>, Object> start, String setting, String value,
                                         String message) {
        Map<String, Object> properties = new HashMap<>(Map.of(
                ServiceSettings.TABLE_NAME, "keys",
                ServiceSettings.SENDER_ADDRESS, "a@b.example",
                ServiceSettings.DYNAMODB_ENDPOINT, "http://127.0.0.1:9",
                ServiceSettings.SES_ENDPOINT, "http://127.0.0.1:9",
                ServiceSettings.KEY_PEPPER, TestStack.PEPPER));
        if (value == null) properties.remove(setting);
        else properties.put(setting, value);
        Throwable failure = assertThrows(RuntimeException.class, () -> start.apply(properties));
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) messages.append(t.getMessage()).append('\n');
        assertTrue(messages.toString().contains(message), messages.toString());
    }
}
