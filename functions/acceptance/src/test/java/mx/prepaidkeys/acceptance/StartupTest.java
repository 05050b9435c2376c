package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import java.util.HashMap;
import java.util.Map;
import mx.prepaidkeys.capture.CaptureHandler;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.confirm.ConfirmHandler;
import mx.prepaidkeys.list.ListHandler;
import org.junit.jupiter.api.Test;

/** A function that is missing a setting refuses to start, and says which one, before any request. */
class StartupTest {

    @Test
    void without_the_pepper_no_function_starts() {
        for (var start : java.util.List.<java.util.function.Function<Map<String, Object>, Object>>of(
                p -> new CaptureHandler(ApplicationContext.builder().properties(p)),
                p -> new ConfirmHandler(ApplicationContext.builder().properties(p)),
                p -> new ListHandler(ApplicationContext.builder().properties(p)))) {
            assertStartFails(start, ServiceSettings.KEY_PEPPER, null, "KEY_PEPPER is not set");
            assertStartFails(start, ServiceSettings.KEY_PEPPER, "short", "KEY_PEPPER is too short");
            assertStartFails(start, ServiceSettings.TABLE_NAME, null, "TABLE_NAME is not set");
        }
    }

    @Test
    void the_notifier_needs_its_sender_address() {
        assertStartFails(p -> new mx.prepaidkeys.notifier.NotifierHandler(ApplicationContext.builder().properties(p)),
                ServiceSettings.SENDER_ADDRESS, null, "SENDER_ADDRESS is not set");
    }

    /**
     * As Lambda starts them: the no-argument constructor, and nothing but the environment
     * template.yaml gives the function (with a fake table, secret and queue: building clients
     * connects to nothing). A function whose role may read the pepper secret gets the pepper; one
     * that may not gets none, and must not need it to start.
     */
    @Test
    void every_function_starts_as_lambda_starts_it_with_only_its_template_environment() throws Exception {
        var template = mx.prepaidkeys.local.SamTemplate.load(mx.prepaidkeys.local.Emulators.repositoryRoot().resolve("template.yaml"));
        java.util.List<String> started = new java.util.ArrayList<>();
        for (var function : template.functions()) {
            var declared = Class.forName(function.handlerClass()).getAnnotation(mx.prepaidkeys.config.AwsFunction.class);
            boolean readsSecret = java.util.List.of(declared.awsActions()).contains("secretsmanager:GetSecretValue");
            Map<String, String> properties = new HashMap<>();
            function.environment().forEach((variable, value) -> properties.put(variable.toLowerCase(java.util.Locale.ROOT).replace('_', '.'),
                    value instanceof String text ? text : fake(variable)));
            properties.put(ServiceSettings.KEY_PEPPER, readsSecret ? TestStack.PEPPER : "");
            properties.remove("java.tool.options");
            properties.forEach(System::setProperty);
            try {
                Object handler = Class.forName(function.handlerClass()).getConstructor().newInstance();
                ((AutoCloseable) handler).close();
                started.add(function.logicalId());
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw new AssertionError(function.logicalId() + " does not start with its template environment " + properties, e.getCause());
            } finally {
                properties.keySet().forEach(System::clearProperty);
            }
        }
        assertTrue(started.size() == template.functions().size(), started.toString());
    }

    private static String fake(String variable) {
        return switch (variable) {
            case "TABLE_NAME" -> "keys-startup";
            case "PEPPER_SECRET_ARN" -> "arn:aws:secretsmanager:us-east-1:000000000000:secret:pepper";
            case "SENDER_ADDRESS" -> "claves-prepago@vendor.example";
            case "DEAD_LETTER_QUEUE_URL" -> "https://sqs.us-east-1.amazonaws.com/000000000000/email-dead-letters";
            default -> "";
        };
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
