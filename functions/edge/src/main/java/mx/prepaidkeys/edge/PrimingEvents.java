package mx.prepaidkeys.edge;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The synthetic requests a handler primes itself with before the SnapStart snapshot: a priming
 * user (no real account), ids in the right shape that no key or batch can have, an empty body. They
 * are refused or find nothing; none writes.
 */
final class PrimingEvents {
    /** An item no code writes: the table read that warms the SDK. */
    static final Map<String, AttributeValue> ITEM = Map.of("PK", AttributeValue.fromS("PRIMING"), "SK", AttributeValue.fromS("PRIMING"));

    private PrimingEvents() {}

    /** The views answers are made of, written once: their serialisers are built before the snapshot. */
    static void views(io.micronaut.json.JsonMapper json) {
        java.time.Instant now = java.time.Instant.now();
        var product = new mx.prepaidkeys.domain.Product("PRIMING", "Priming", "Priming", 12,
                new mx.prepaidkeys.domain.License("1", "Priming", "https://priming.invalid", "Priming"));
        var key = mx.prepaidkeys.domain.PrepaidKey.issued("00000000000000000000000000", "*****-*****-*****-*****-00000", product, null,
                        now.plus(java.time.Duration.ofDays(365)))
                .activate(new mx.prepaidkeys.domain.Activation("priming", now, "priming", "priming@priming.invalid", "Priming", "1",
                        "127.0.0.1", "priming"), now);
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

    /**
     * The item a function's priming writes aim at: in a partition its policy lets it write
     * ({@code dynamodb:LeadingKeys}; IAM refuses a write elsewhere before its condition is even
     * read), and never written by anyone.
     */
    static Map<String, AttributeValue> writeItem(mx.prepaidkeys.config.AwsFunction declared) {
        if (declared.writesPartitions().length == 0) return ITEM;
        return Map.of("PK", AttributeValue.fromS(declared.writesPartitions()[0].replace("*", "PRIMING")),
                "SK", AttributeValue.fromS("PRIMING"));
    }

    /**
     * One call of each DynamoDB operation the function may make, on the priming items, none of which
     * writes: reads find nothing, writes carry a condition the absent item fails.
     */
    static void table(software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo, String table,
                      mx.prepaidkeys.config.AwsFunction declared) {
        java.util.Set<String> allowed = java.util.Set.of(declared.awsActions());
        Map<String, String> names = Map.of("#pk", "PK");
        if (allowed.contains("dynamodb:GetItem")) dynamo.getItem(r -> r.tableName(table).key(ITEM));
        if (allowed.contains("dynamodb:BatchGetItem")) {
            dynamo.batchGetItem(r -> r.requestItems(Map.of(table,
                    software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(ITEM).build())));
        }
        if (allowed.contains("dynamodb:Query")) {
            dynamo.query(r -> r.tableName(table).keyConditionExpression("#pk = :pk").expressionAttributeNames(names)
                    .expressionAttributeValues(Map.of(":pk", ITEM.get("PK"))).limit(1));
        }
        refused(() -> {
            if (allowed.contains("dynamodb:UpdateItem")) {
                dynamo.updateItem(r -> r.tableName(table).key(writeItem(declared)).updateExpression("SET primed = :t")
                        .conditionExpression("attribute_exists(#pk)")
                        .expressionAttributeNames(names).expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));
            }
        });
        refused(() -> {
            if (allowed.contains("dynamodb:PutItem")) {
                dynamo.transactWriteItems(r -> r.transactItems(software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder()
                        .put(p -> p.tableName(table).item(writeItem(declared)).conditionExpression("attribute_exists(#pk)")
                                .expressionAttributeNames(names))
                        .build()));
            }
        });
    }

    private static void refused(Runnable write) {
        try {
            write.run();
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException
                 | software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException expected) {
            // the condition failed, as intended: nothing was written
        }
    }

    static APIGatewayV2HTTPEvent request(ApiHandler.Audience as, String body) {
        Map<String, String> claims = as == ApiHandler.Audience.ADMINS
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
