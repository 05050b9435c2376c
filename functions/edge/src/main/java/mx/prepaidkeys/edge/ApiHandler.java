package mx.prepaidkeys.edge;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.BeanProvider;
import io.micronaut.function.aws.MicronautRequestHandler;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.config.Priming;
import mx.prepaidkeys.log.JsonLog;
import mx.prepaidkeys.store.IdempotencyStore;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * The one place for HTTP concerns, shared by every Lambda handler: who may call, request ids,
 * problem+json answers, JSON writing, and one structured log line per request. A handler only
 * parses its input, calls one domain method and maps the result.
 *
 * <p>No stack trace or exception message ever reaches a response; faults are logged with their
 * class and the request id the caller sees.
 */
public abstract class ApiHandler extends MicronautRequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    @Inject
    JsonMapper json;

    @Inject
    BeanProvider<IdempotencyStore> idempotencyStore;

    /** Printable ASCII, as Powertools and Stripe accept; 255 at most. */
    private static final java.util.regex.Pattern IDEMPOTENCY_KEY = java.util.regex.Pattern.compile("[\\x20-\\x7E]{1,255}");
    private final boolean idempotent = getClass().isAnnotationPresent(Idempotent.class);

    /** Held so that CRaC, which keeps resources weakly, runs it before the snapshot. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final Priming priming;

    protected ApiHandler() {
        priming = Priming.register(getClass().getSimpleName(), this::prime);
    }

    protected ApiHandler(ApplicationContextBuilder context) {
        super(context);
        priming = Priming.register(getClass().getSimpleName(), this::prime);
    }

    /**
     * Lambda's context builder (micronaut-function-aws) creates every singleton on the class path at
     * start. Here that would be every bean of core in every function: the SES client in capture, the
     * pepper (and its Secrets Manager call) in functions whose role may not read it. Only what the
     * handler injects is built; SnapStart priming warms the rest of the hot path.
     */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        // LambdaApplicationContextBuilder's settings, but for eagerInitSingletons(true) (which a builder cannot undo)
        return io.micronaut.context.ApplicationContext.builder().environments("function", "lambda")
                .deduceEnvironment(false).deduceCloudEnvironment(false).bootstrapEnvironment(false).banner(false);
    }

    /** The SnapStart warm-up of this function ({@link Priming}); the benchmark calls it to measure a primed start. */
    public final boolean primeNow() {
        return priming.prime();
    }

    /**
     * Walks the request path without touching anyone's data, {@value #PRIMING_ROUNDS} times over
     * (the JIT compiles what runs repeatedly, and the snapshot keeps it), through
     * {@code handleRequest} as Lambda calls it: a caller outside the route's group (403: the edge,
     * problem+json, messages), a caller in it asking for an id that cannot exist with
     * {@link #primingBody()} (404 or 400, or an empty page: the handler's own reads and refusals),
     * the views every answer is made of, and one call of each DynamoDB operation the function's
     * policy allows, on an item no code writes and under a condition that fails (the SDK's
     * connection, signer and marshallers; no write happens).
     */
    protected void prime() {
        var dynamo = getApplicationContext().getBean(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class);
        String table = getApplicationContext().getBean(mx.prepaidkeys.config.ServiceSettings.class).tableName();
        var declared = getClass().getAnnotation(mx.prepaidkeys.config.AwsFunction.class);
        var lambda = new mx.prepaidkeys.config.LocalLambdaContext("priming", getClass().getSimpleName());
        for (int round = 0; round < PRIMING_ROUNDS; round++) {
            handleRequest(PrimingEvents.request(Audience.ADMINS == audience() ? Audience.DISTRIBUTORS : Audience.ADMINS, "{}"), lambda);
            handleRequest(PrimingEvents.request(audience(), primingBody()), lambda);
            PrimingEvents.views(json);
            PrimingEvents.table(dynamo, table, declared);
        }
    }

    /**
     * The body of the priming request of the route's own audience: it must be refused before
     * anything is written. A route that reads a key sends one with a wrong check character (a typo:
     * parsed, answered 400, never counted as a guess).
     */
    protected String primingBody() {
        return "{}";
    }

    /**
     * Enough rounds for C1 to compile the request path before the snapshot (measured by make bench:
     * capture's primed first invoke 23 ms at 3 rounds, 18 ms at 30; each round a few milliseconds of
     * the snapshot's init, which no user waits for).
     */
    static final int PRIMING_ROUNDS = 30;

    /** A key in the right shape whose check character is wrong: refused as a typo, never looked up. */
    protected static final String PRIMING_TYPO_KEY = "00000-00000-00000-00000-00001";

    /** Who may call this route. Checked before {@link #handle(ApiRequest)} runs. */
    public enum Audience { DISTRIBUTORS, ADMINS }

    protected abstract Audience audience();

    protected abstract ApiResponse handle(ApiRequest request);

    @Override
    public final APIGatewayV2HTTPResponse execute(APIGatewayV2HTTPEvent event) {
        long started = System.nanoTime();
        ApiRequest request = new ApiRequest(event);
        JsonLog.putContext("requestId", request.requestId());
        JsonLog.putContext("route", request.routeKey());
        ApiResponse response;
        try {
            // API Gateway's JWT authorizer also passes the pool's access tokens: only an ID token names a caller here.
            response = !request.caller().isIdToken() ? Problems.idTokenRequired(request.language(), request.requestId())
                    : !allowed(request) ? Problems.of(new DomainError.Forbidden(), request.language(), request.requestId())
                    : idempotent && request.header("idempotency-key") != null ? idempotently(request) : handle(request);
        } catch (DomainException e) {
            response = Problems.of(e.error(), request.language(), request.requestId());
        } catch (RequestInvalid e) {
            response = Problems.invalid(e, request.language(), request.requestId());
        } catch (ApiRequest.UnsupportedMediaType e) {
            response = Problems.plain(415, Problems.UNSUPPORTED_MEDIA_TYPE, request.language(), request.requestId());
            response = response.withField("Content-Type");
        } catch (ClaimHeld e) {
            // the fault, and the key still claimed: come back when its lease ends, not at once
            response = fault(e.fault, 503, Problems.SERVICE_UNAVAILABLE, request)
                    .withHeader("Retry-After", Long.toString(Math.max(1, (Duration.between(Instant.now(), e.lockedUntil).toMillis() + 999) / 1000)));
        } catch (SdkClientException e) {
            response = fault(e, 503, Problems.SERVICE_UNAVAILABLE, request);
        } catch (SdkServiceException e) {
            boolean transientFault = e.statusCode() >= 500 || e.isThrottlingException();
            response = transientFault ? fault(e, 503, Problems.SERVICE_UNAVAILABLE, request)
                    : fault(e, 500, Problems.INTERNAL_ERROR, request);
        } catch (RuntimeException e) {
            response = fault(e, 500, Problems.INTERNAL_ERROR, request);
        }
        APIGatewayV2HTTPResponse written = write(response, request);
        try {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("status", response.status());
            line.put("latencyMs", (System.nanoTime() - started) / 1_000_000.0);
            line.put("distributorId", request.caller().distributorId());
            line.put("userSub", request.caller().sub());
            if (response.payload() instanceof Map<?, ?> problem && problem.get("code") instanceof String code) {
                line.put("code", code);
            }
            if (response.headers().containsKey("idempotent-replayed")) line.put("replayed", true);
            JsonLog.info("request", line);
        } finally {
            JsonLog.clearContext();
        }
        return written;
    }

    /**
     * Runs the request once per {@code Idempotency-Key} (per route and user): the first answer is
     * stored and replayed to identical retries; the same key with another request is 422, and while
     * the first still runs, 409. A failed first run gives the key back, so a retry runs again.
     */
    private ApiResponse idempotently(ApiRequest request) {
        String key = request.header("idempotency-key");
        if (!IDEMPOTENCY_KEY.matcher(key).matches()) throw new RequestInvalid("Idempotency-Key", "request.idempotencyKey");
        String recordKey = request.routeKey() + "#" + request.caller().sub() + "#" + sha256(key);
        IdempotencyStore store = idempotencyStore.get();
        request.idempotencyRecord(recordKey);
        return switch (store.claim(recordKey, request.fingerprint(), java.time.Instant.now())) {
            case IdempotencyStore.Claim.Acquired acquired -> {
                ApiResponse response;
                try {
                    response = rendered(handle(request));
                } catch (RuntimeException e) {
                    if (!releaseQuietly(store, recordKey) && isFault(e)) throw new ClaimHeld(e, acquired.lockedUntil());
                    throw e;
                }
                if (response.status() >= 200 && response.status() < 300) {
                    store.complete(recordKey, new IdempotencyStore.StoredResponse(response.status(), response.contentType(),
                            response.headers(), (String) response.payload()));
                } else {
                    store.release(recordKey);
                }
                yield response;
            }
            case IdempotencyStore.Claim.Replay replay -> new ApiResponse(replay.response().status(), replay.response().body(),
                    replay.response().contentType(), replay.response().headers()).withHeader("idempotent-replayed", "true");
            case IdempotencyStore.Claim.InProgress inProgress -> throw new DomainException(new DomainError.RequestInProgress(
                    Duration.between(Instant.now(), inProgress.lockedUntil())));
            case IdempotencyStore.Claim.Mismatch mismatch -> throw new DomainException(new DomainError.IdempotencyKeyReused());
        };
    }

    /**
     * Gives the key back after a failed run. When the table is what failed, that may fail too: the
     * claim then frees itself at the end of its lease, and the caller hears when that is.
     */
    private static boolean releaseQuietly(IdempotencyStore store, String recordKey) {
        try {
            store.release(recordKey);
            return true;
        } catch (RuntimeException e) {
            JsonLog.warn("idempotency_release_failed", Map.of("error", e.getClass().getName()));
            return false;
        }
    }

    private static boolean isFault(RuntimeException e) {
        return e instanceof SdkClientException || e instanceof SdkServiceException;
    }

    /** A fault during an idempotent run whose claim could not be given back. */
    private static final class ClaimHeld extends RuntimeException {
        private final RuntimeException fault;
        private final Instant lockedUntil;

        ClaimHeld(RuntimeException fault, Instant lockedUntil) {
            super(fault.getClass().getName(), fault, false, false);
            this.fault = fault;
            this.lockedUntil = lockedUntil;
        }
    }

    private static String sha256(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The response with its payload written out (JSON for objects), as it goes on the wire. */
    private ApiResponse rendered(ApiResponse response) {
        if (response.payload() == null || response.payload() instanceof String || response.payload() instanceof byte[]) return response;
        try {
            String body = new String(json.writeValueAsBytes(response.payload()), StandardCharsets.UTF_8);
            return new ApiResponse(response.status(), body, response.contentType(), response.headers());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the response as JSON", e);
        }
    }

    private boolean allowed(ApiRequest request) {
        return switch (audience()) {
            case DISTRIBUTORS -> request.caller().isDistributor();
            case ADMINS -> request.caller().isAdmin();
        };
    }

    private static ApiResponse fault(RuntimeException e, int status, String code, ApiRequest request) {
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

    private APIGatewayV2HTTPResponse write(ApiResponse response, ApiRequest request) {
        Map<String, String> headers = new HashMap<>(response.headers());
        headers.put("content-type", response.contentType());
        headers.put("content-language", request.language().tag());
        headers.put("x-request-id", request.requestId());
        headers.put("cache-control", "no-store");
        headers.put("x-content-type-options", "nosniff");
        Object payload = rendered(response).payload();
        // Bytes (a compressed export) travel base64-encoded; API Gateway decodes them for the client.
        boolean binary = payload instanceof byte[];
        String body = binary ? java.util.Base64.getEncoder().encodeToString((byte[]) payload) : (String) payload;
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(binary)
                .build();
    }
}
