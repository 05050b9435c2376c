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
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.config.HandlerContext;
import mx.prepaidkeys.config.LocalLambdaContext;
import mx.prepaidkeys.config.Priming;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.log.JsonLog;
import mx.prepaidkeys.log.Metric;
import mx.prepaidkeys.log.Metrics;
import mx.prepaidkeys.store.IdempotencyStore;

/**
 * The life of an API request, shared by every route's handler: who may call ({@link CalledBy}),
 * the request id, the Idempotency-Key ({@link Idempotent}, {@link IdempotentRun}), problem+json for
 * refusals ({@link Problems}) and faults ({@link Faults}), the answer written for API Gateway, and
 * one log line, and one line of the request's metrics ({@link Metrics}). A handler only parses its
 * input, calls one use case and maps the result.
 */
public abstract class ApiHandler extends MicronautRequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    @Inject
    JsonMapper json;

    @Inject
    BeanProvider<IdempotencyStore> idempotencyStore;

    @Inject
    InvocationContext invocation;

    private final Audience audience = audienceOf(getClass());
    private final boolean idempotent = getClass().isAnnotationPresent(Idempotent.class);

    /** Held so that CRaC, which keeps resources weakly, runs it before the snapshot. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final Priming priming = Priming.register(getClass().getSimpleName(), this::prime);

    /** Settings from the function's environment, or given by the in-process path ({@link HandlerContext}). */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return HandlerContext.builder();
    }

    /** The SnapStart warm-up of this function ({@link ApiPriming}); the benchmark calls it to measure a primed start. */
    public final boolean primeNow() {
        return priming.prime();
    }

    private void prime() {
        var lambda = new LocalLambdaContext("priming", getClass().getSimpleName());
        ApiPriming.prime(event -> handleRequest(event, lambda), audience, primingBody(), json, getApplicationContext(),
                getClass().getAnnotation(AwsFunction.class));
    }

    /**
     * The body of the priming request of the route's own audience: it must be refused before
     * anything is written. A route that reads a key sends {@link #PRIMING_TYPO_KEY}.
     */
    protected String primingBody() {
        return "{}";
    }

    /** A key in the right shape whose check character is wrong: parsed, refused as a typo, never looked up or counted. */
    protected static final String PRIMING_TYPO_KEY = "00000-00000-00000-00000-00001";

    protected abstract ApiResponse handle(ApiRequest request);

    @Override
    public final APIGatewayV2HTTPResponse execute(APIGatewayV2HTTPEvent event) {
        long started = System.nanoTime();
        ApiRequest request = new ApiRequest(event, invocationEnd());
        JsonLog.putContext("requestId", request.requestId());
        JsonLog.putContext("route", request.routeKey());
        ApiResponse response;
        try {
            // API Gateway's JWT authorizer also passes the pool's access tokens: only an ID token names a caller here.
            response = !request.caller().isIdToken() ? Problems.idTokenRequired(request.language(), request.requestId())
                    : !allowed(request) ? Problems.of(new DomainError.Forbidden(), request.language(), request.requestId())
                    : idempotent && request.header("idempotency-key") != null
                            ? IdempotentRun.of(request, idempotencyStore.get(), r -> rendered(handle(r)))
                            : handle(request);
        } catch (DomainException e) {
            response = Problems.of(e.error(), request.language(), request.requestId());
        } catch (RequestInvalid e) {
            response = Problems.invalid(e, request.language(), request.requestId());
        } catch (ApiRequest.UnsupportedMediaType e) {
            response = Problems.plain(415, Problems.UNSUPPORTED_MEDIA_TYPE, request.language(), request.requestId()).withField("Content-Type");
        } catch (RuntimeException e) {
            response = Faults.answer(e, request);
        }
        APIGatewayV2HTTPResponse written = write(response, request);
        try {
            Map<String, Object> line = new LinkedHashMap<>();
            double latencyMs = (System.nanoTime() - started) / 1_000_000.0;
            line.put("status", response.status());
            line.put("latencyMs", latencyMs);
            line.put("distributorId", request.caller().distributorId());
            line.put("userSub", request.caller().sub());
            if (response.payload() instanceof Map<?, ?> problem && problem.get("code") instanceof String code) {
                line.put("code", code);
            }
            if (response.headers().containsKey("idempotent-replayed")) line.put("replayed", true);
            JsonLog.info("request", line);
            Metrics.measure(Metric.LATENCY, latencyMs);
            Metrics.flush();
        } finally {
            JsonLog.clearContext();
        }
        return written;
    }

    /** When Lambda cuts this invocation off: the context's remaining time, the only place Lambda says it. */
    private Instant invocationEnd() {
        return invocation.endsBy()
                // a call without a context (none in Lambda): the template's Globals timeout
                .orElseGet(() -> Instant.now().plusSeconds(15));
    }

    private static Audience audienceOf(Class<?> handler) {
        CalledBy calledBy = handler.getAnnotation(CalledBy.class);
        if (calledBy == null) throw new IllegalStateException(handler.getName() + " must say who may call it: @CalledBy");
        return calledBy.value();
    }

    private boolean allowed(ApiRequest request) {
        return switch (audience) {
            case DISTRIBUTORS -> request.caller().isDistributor();
            case ADMINS -> request.caller().isAdmin();
        };
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
