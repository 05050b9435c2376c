package mx.prepaidkeys.store;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** A Query read to its end, page after page (the SDK's paginator), each page's read capacity metered. */
final class Pages {
    private Pages() {}

    static Stream<QueryResponse> of(DynamoDbClient dynamo, QueryRequest query) {
        return dynamo.queryPaginator(query).stream().peek(ReadMeter::add);
    }

    static List<Map<String, AttributeValue>> items(DynamoDbClient dynamo, QueryRequest query) {
        return of(dynamo, query).flatMap(page -> page.items().stream()).toList();
    }

    static int count(DynamoDbClient dynamo, QueryRequest query) {
        return of(dynamo, query).mapToInt(QueryResponse::count).sum();
    }
}
