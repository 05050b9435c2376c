package mx.prepaidkeys.edge;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.function.aws.DefaultDiagnosticInfoPopulator;
import io.micronaut.function.aws.DiagnosticInfoPopulator;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Optional;
import mx.prepaidkeys.config.InvocationDeadline;

/**
 * The Lambda context of the invocation under way, for its deadline. micronaut-function-aws hands
 * each invocation's context to this hook before it calls the handler; the Context bean it also
 * registers is not visible to the handler's own lookups (found empty), so the handler reads it here.
 * Replaces the default, which copies the context into slf4j's MDC, which nothing here logs.
 */
@Singleton
@Replaces(DefaultDiagnosticInfoPopulator.class)
public class InvocationContext implements DiagnosticInfoPopulator {
    private final ThreadLocal<Context> current = new ThreadLocal<>();

    @Override
    public void populateMappingDiagnosticContextValues(Context context) {
        current.set(context);
    }

    @Override
    public void populateMappingDiagnosticContextWithXrayTraceId() {
        // X-Ray reads its trace header itself
    }

    /** When the invocation under way ends, if a context came with it. */
    Optional<Instant> endsBy() {
        return Optional.ofNullable(current.get()).map(InvocationDeadline::of);
    }
}
