package mx.prepaidkeys.config;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Instant;
import java.util.Optional;

/**
 * When Lambda cuts an invocation off. Lambda tells a function its time only through the context's
 * remaining time, never in its environment: Idempotency-Key leases and the mint's budget are
 * measured from here.
 */
public final class InvocationDeadline {
    /**
     * Set only by the local Lambda runtime: by how many milliseconds the runtime client's remaining
     * time runs late there (the emulator's deadline includes the init allowance it is given).
     */
    public static final String SKEW_VARIABLE = "LOCAL_RUNTIME_DEADLINE_SKEW_MS";

    private static final long SKEW_MS = Optional.ofNullable(System.getenv(SKEW_VARIABLE)).map(Long::parseLong).orElse(0L);

    private InvocationDeadline() {
    }

    /** Now plus the invocation's remaining time. */
    public static Instant of(Context context) {
        return Instant.now().plusMillis(context.getRemainingTimeInMillis() - SKEW_MS);
    }
}
