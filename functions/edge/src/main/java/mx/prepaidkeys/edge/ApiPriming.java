package mx.prepaidkeys.edge;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import java.util.Map;
import java.util.function.Function;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.store.PrimingCalls;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The SnapStart warm-up of an API function, before the snapshot: its request path walked without
 * touching anyone's data, {@value #ROUNDS} times over (the JIT compiles what runs repeatedly, and the
 * snapshot keeps it), through {@code handleRequest} as Lambda calls it: a caller outside the route's
 * audience (403: the edge, problem+json, messages), a caller in it asking for an id that cannot exist
 * (404 or 400, or an empty page: the handler's own reads and refusals), the views every answer is
 * made of, and one call of each DynamoDB operation the function's policy allows ({@link PrimingCalls}).
 * The requests come from a priming user (no real account), with ids in the right shape that no key
 * or batch can have: they are refused or find nothing; none writes.
 */
final class ApiPriming {
    /**
     * Enough rounds for C1 to compile the request path before the snapshot (measured by make bench:
     * capture's primed first invoke 23 ms at 3 rounds, 18 ms at 30; each round a few milliseconds of
     * the snapshot's init, which no user waits for).
     */
    static final int ROUNDS = 30;

    private ApiPriming() {}

    /**
     * @param handle   the handler's {@code handleRequest}, as Lambda calls it
     * @param ownBody  the body of the request of the route's own audience: refused before anything is written
     */
    static void prime(Function<APIGatewayV2HTTPEvent, ?> handle, Audience audience, String ownBody, JsonMapper json,
                      ApplicationContext context, AwsFunction declared) {
        DynamoDbClient dynamo = context.getBean(DynamoDbClient.class);
        String table = context.getBean(ServiceSettings.class).tableName();
        Audience other = audience == Audience.ADMINS ? Audience.DISTRIBUTORS : Audience.ADMINS;
        for (int round = 0; round < ROUNDS; round++) {
            handle.apply(request(other, "{}"));
            handle.apply(request(audience, ownBody));
            views(json);
            PrimingCalls.make(dynamo, table, declared);
        }
    }

    /** The views answers are made of, written once: their serialisers are built before the snapshot. */
    static void views(io.micronaut.json.JsonMapper json) {
        java.time.Instant now = java.time.Instant.now();
        var product = new mx.prepaidkeys.domain.Product("PRIMING", "Priming", "Priming", 12,
                new mx.prepaidkeys.domain.License("1", "Priming", "https://priming.invalid", "Priming"));
        var key = mx.prepaidkeys.domain.PrepaidKey.issued(new mx.prepaidkeys.domain.KeyId("00000000000000000000000000"),
                        "*****-*****-*****-*****-00000", product, null, now.plus(java.time.Duration.ofDays(365)))
                .activate(new mx.prepaidkeys.domain.Activation(new mx.prepaidkeys.domain.DistributorId("priming"), now,
                        new mx.prepaidkeys.domain.UserId("priming"),
                        "priming@priming.invalid", "Priming", "1", "127.0.0.1", "priming"), now);
        try {
            json.writeValueAsBytes(KeyView.forDistributor(key, now));
            json.writeValueAsBytes(KeyView.forBackOffice(key, now));
            json.writeValueAsBytes(ProductView.of(product));
            json.writeValueAsBytes(LicenseView.of(product.license()));
            json.writeValueAsBytes(ProductAdminView.of(product));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // dates in notices and emails: the locale data of each language loads here, not in a first confirm
        for (var language : mx.prepaidkeys.i18n.Language.values()) {
            mx.prepaidkeys.i18n.Messages.dateFormat(language, "date.pattern").format(java.time.LocalDate.now());
        }
    }

    static APIGatewayV2HTTPEvent request(Audience as, String body) {
        Map<String, String> claims = as == Audience.ADMINS
                ? Map.of("sub", "priming", "cognito:username", "priming", "email", "priming@priming.invalid", "cognito:groups", "[admins]",
                        "token_use", "id")
                : Map.of("sub", "priming", "cognito:username", "priming", "email", "priming@priming.invalid",
                        "cognito:groups", "[distributors]", "custom:distributor_id", "priming", "token_use", "id");
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("PRIMING")
                .withRawPath("/priming")
                .withRawQueryString("")
                .withHeaders(Map.of("content-type", "application/json", "accept-language", "es-MX"))
                // keyId and batchId: the right shape, but all zeros is never minted (ids are hashes and random)
                .withPathParameters(Map.of("keyId", "00000000000000000000000000", "batchId", "0000000000000000", "sku", "PRIMING"))
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId("priming")
                        .withRouteKey("PRIMING")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withPath("/priming")
                                .withSourceIp("127.0.0.1").withUserAgent("priming").build())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build())
                                .build())
                        .build())
                .build();
    }
}
