package mx.prepaidkeys.acceptance;

import mx.prepaidkeys.config.HandlerContext;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import mx.prepaidkeys.config.LocalLambdaContext;
import mx.prepaidkeys.local.DevStack;
import mx.prepaidkeys.local.Emulators;
import mx.prepaidkeys.local.SamTemplate;
import mx.prepaidkeys.local.StreamPoller;
import mx.prepaidkeys.notifier.NotifierHandler;

/**
 * The notifier handler in this JVM, on a table of the test's choosing and with settings a deployed
 * function cannot be given (a shorter retry schedule): the in-process path, for tests that need
 * the handler's internals. Events still travel as Lambda's JSON, read by the runtime's own
 * deserializer. The local stack's notifier runs as the deployed function does, under the runtime.
 */
final class InProcessNotifier {
    private static final ObjectMapper JSON = new ObjectMapper();

    private InProcessNotifier() {}

    /** A stream poller on {@code table} feeding an in-process notifier configured with {@code properties}. */
    static StreamPoller on(TestStack stack, String table, Map<String, Object> properties) {
        NotifierHandler handler = HandlerContext.inProcess(properties, NotifierHandler::new);
        var serializer = LambdaEventSerializers.serializerFor(DynamodbEvent.class, InProcessNotifier.class.getClassLoader());
        SamTemplate template = SamTemplate.load(Emulators.repositoryRoot().resolve("template.yaml"));
        StreamPoller.StreamFunction function = event -> {
            DynamodbEvent records = serializer.fromJson(new ByteArrayInputStream(event));
            var answer = handler.handleRequest(records, new LocalLambdaContext(UUID.randomUUID().toString(), "NotifierFunction"));
            try {
                return JSON.writeValueAsBytes(answer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        return DevStack.streamPoller(stack.emulators, template, table, "NotifierFunction", function, (Path) null);
    }
}
