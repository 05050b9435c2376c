package mx.prepaidkeys.config;

import java.util.Map;
import mx.prepaidkeys.log.JsonLog;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming. A handler registers what it does to warm up; Lambda runs it once before it
 * takes the snapshot (CRaC {@code beforeCheckpoint}), so every restored copy starts with the SDK
 * clients connected, serialisers and message bundles loaded and the hot path's classes
 * initialised, instead of doing all that in the first user's request.
 *
 * <p>What must not be shared by copies of one snapshot is not kept: the code creates a
 * {@code SecureRandom} where it draws random bytes (key minting, idempotency IVs), and the SDK's
 * credential providers read Lambda's credentials when they are needed.
 */
public final class Priming implements Resource {
    private final String function;
    private final Runnable warmUp;

    private Priming(String function, Runnable warmUp) {
        this.function = function;
        this.warmUp = warmUp;
    }

    /**
     * Registers a warm-up. The returned object must stay referenced (CRaC keeps resources weakly):
     * the handler holds it in a field.
     */
    public static Priming register(String function, Runnable warmUp) {
        Priming priming = new Priming(function, warmUp);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    /**
     * Runs the warm-up now (what {@code beforeCheckpoint} does; the benchmark calls it to measure a
     * primed start).
     *
     * @return whether it ran through
     */
    public boolean prime() {
        long started = System.nanoTime();
        try {
            JsonLog.quietly(warmUp);
            JsonLog.info("primed", Map.of("function", function, "millis", (System.nanoTime() - started) / 1_000_000));
            return true;
        } catch (RuntimeException e) {
            // A snapshot without priming is slower, not wrong: never fail the deployment over it.
            JsonLog.warn("priming_failed", Map.of("function", function, "error", e.getClass().getName()));
            return false;
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing cached needs refreshing: see the class comment.
    }
}
