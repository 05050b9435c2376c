package mx.prepaidkeys.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The application context a handler starts with. In Lambda: settings from the function's
 * environment, and only what the handler injects is built (micronaut-function-aws's builder creates
 * every singleton on the class path at start: the SES client in capture, the pepper and its
 * Secrets Manager call in functions whose role may not read it). On the in-process path of tests
 * and benchmarks: the same, with the settings given as properties.
 */
public final class HandlerContext {
    private static final ThreadLocal<Map<String, Object>> GIVEN = new ThreadLocal<>();

    private HandlerContext() {}

    /** LambdaApplicationContextBuilder's settings, but for eagerInitSingletons(true), which a builder cannot undo. */
    public static ApplicationContextBuilder builder() {
        ApplicationContextBuilder builder = ApplicationContext.builder().environments("function", "lambda")
                .deduceEnvironment(false).deduceCloudEnvironment(false).bootstrapEnvironment(false).banner(false);
        Map<String, Object> given = GIVEN.get();
        return given == null ? builder : builder.properties(given);
    }

    /**
     * A handler built in this thread with these settings instead of its environment's: the
     * in-process path, for tests that need a handler's internals (how Lambda runs the functions is
     * the local runtime's).
     */
    public static <T> T inProcess(Map<String, Object> properties, Supplier<T> handler) {
        GIVEN.set(Map.copyOf(properties));
        try {
            return handler.get();
        } finally {
            GIVEN.remove();
        }
    }
}
