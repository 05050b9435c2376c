package mx.prepaidkeys.local.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What one invocation of a function came to, as the Lambda service sees it: the function's answer,
 * or why there is none, and the figures of its REPORT line.
 *
 * @param payload the function's answer (or the runtime's error document), as the runtime sent it
 */
public record Invocation(String function, Outcome outcome, byte[] payload, Report report) {

    public enum Outcome {
        /** The function answered. */
        ANSWERED,
        /** The handler threw: the runtime reported {@code errorType} and {@code errorMessage} instead of an answer. */
        FUNCTION_ERROR,
        /** The function could not start (its constructor or a static initialiser threw): Lambda's init error. */
        INIT_ERROR,
        /** The function ran past its timeout and was cut off; its instance is gone. */
        TIMED_OUT,
        /** The instance died (the JVM exited or was killed) while it held the request. */
        CRASHED,
        /** Every instance the concurrency limit allows was busy for longer than the function's timeout. */
        THROTTLED
    }

    /**
     * One REPORT line's figures.
     *
     * @param initMs       the init phase when this invocation started the instance (a cold start), else 0
     * @param maxMemoryMb  the instance's resident high-water mark (VmHWM), as Lambda reports it; 0 when unknown
     */
    public record Report(String requestId, int instance, double initMs, double durationMs, int memorySizeMb, long maxMemoryMb) {
        public boolean cold() {
            return initMs > 0;
        }

        /** Lambda bills the init phase of on-demand starts together with the invocation, rounded up to the millisecond. */
        public long billedMs() {
            return (long) Math.ceil(initMs + durationMs);
        }

        /** Lambda's own wording, so that tools that read REPORT lines read these. */
        public String line() {
            return String.format(Locale.ROOT, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\t"
                    + "Max Memory Used: %d MB\t%s", requestId, durationMs, billedMs(), memorySizeMb, maxMemoryMb,
                    cold() ? String.format(Locale.ROOT, "Init Duration: %.2f ms\t", initMs) : "");
        }
    }

    public String payloadText() {
        return payload == null ? "" : new String(payload, StandardCharsets.UTF_8);
    }

    public boolean answered() {
        return outcome == Outcome.ANSWERED;
    }
}
