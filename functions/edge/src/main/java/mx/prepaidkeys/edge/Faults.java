package mx.prepaidkeys.edge;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import mx.prepaidkeys.log.JsonLog;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * What a fault (not a refusal) becomes: 503 with Retry-After when a dependency did not answer in
 * time or was throttled (the request may be tried again: nothing was applied twice), 500 for
 * anything else. Never a stack trace or an exception's message in the answer: one log line with
 * the class, where it was thrown and AWS's own error, and the request id the caller sees.
 */
final class Faults {
    private Faults() {}

    static ApiResponse answer(RuntimeException e, ApiRequest request) {
        return switch (e) {
            // the fault, and its Idempotency-Key still claimed: come back when the lease ends, not at once
            case IdempotentRun.ClaimHeld held -> answer(held.fault, request).withHeader("Retry-After",
                    Long.toString(Math.max(1, (Duration.between(Instant.now(), held.lockedUntil).toMillis() + 999) / 1000)));
            case SdkClientException client -> logged(client, 503, Problems.SERVICE_UNAVAILABLE, request);
            case SdkServiceException service when service.statusCode() >= 500 || service.isThrottlingException() ->
                    logged(service, 503, Problems.SERVICE_UNAVAILABLE, request);
            default -> logged(e, 500, Problems.INTERNAL_ERROR, request);
        };
    }

    private static ApiResponse logged(RuntimeException e, int status, String code, ApiRequest request) {
        // The class and the AWS error say what failed; other exception messages may echo input, so they stay out.
        Map<String, Object> fields = new HashMap<>();
        fields.put("error", e.getClass().getName());
        if (e instanceof SdkServiceException service) {
            fields.put("awsStatus", service.statusCode());
            if (service instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
                fields.put("awsErrorCode", aws.awsErrorDetails().errorCode());
                // AWS messages name expressions and attributes, never values: safe and what ops need.
                String message = aws.awsErrorDetails().errorMessage();
                if (message != null) fields.put("awsMessage", message.length() > 300 ? message.substring(0, 300) : message);
            }
        }
        StackTraceElement[] trace = e.getStackTrace();
        if (trace.length > 0) fields.put("at", trace[0].toString());
        JsonLog.error("request_failed", fields);
        ApiResponse response = Problems.plain(status, code, request.language(), request.requestId());
        return status == 503 ? response.withHeader("Retry-After", "1") : response;
    }
}
