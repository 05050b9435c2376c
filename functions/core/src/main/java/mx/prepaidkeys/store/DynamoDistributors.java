package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyItems.s;
import static mx.prepaidkeys.store.KeyItems.str;
import static mx.prepaidkeys.store.KeyTable.GSI1;
import static mx.prepaidkeys.store.KeyTable.GSI1PK;
import static mx.prepaidkeys.store.KeyTable.GSI1SK;
import static mx.prepaidkeys.store.KeyTable.PK;
import static mx.prepaidkeys.store.KeyTable.SK;

import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.domain.Distributor;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.Distributors;
import mx.prepaidkeys.domain.Timestamps;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Distributor accounts: {@code DISTRIBUTOR#<id>} / {@code DISTRIBUTOR}, listed in id order through
 * {@code GSI1} ({@code DISTRIBUTORS} / {@code <id>}, beside the catalogue's {@code CATALOG}): no
 * index of their own.
 */
@Singleton
public class DynamoDistributors implements Distributors {
    static final String PREFIX = "DISTRIBUTOR#";
    static final String ITEM_SK = "DISTRIBUTOR";
    static final String LIST_PK = "DISTRIBUTORS";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDistributors(DynamoDbClient dynamo, ServiceSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.tableName();
    }

    static Map<String, AttributeValue> key(DistributorId id) {
        return Map.of(PK, s(PREFIX + id.value()), SK, s(ITEM_SK));
    }

    @Override
    public Optional<Distributor> find(DistributorId id) {
        // Strongly consistent: a suspension holds from the next request on, not an eventual one.
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(key(id))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toDistributor(item));
    }

    @Override
    public boolean save(Distributor distributor) {
        Map<String, AttributeValue> item = new HashMap<>(key(distributor.id()));
        item.put(GSI1PK, s(LIST_PK));
        item.put(GSI1SK, s(distributor.id().value()));
        item.put("type", s("DISTRIBUTOR"));
        item.put("distributorId", s(distributor.id().value()));
        item.put("name", s(distributor.name()));
        item.put("rfc", s(distributor.rfc()));
        item.put("contactEmail", s(distributor.contactEmail()));
        item.put("status", s(distributor.status().name()));
        item.put("updatedAt", s(Timestamps.format(distributor.updatedAt())));
        item.put("updatedBySub", s(distributor.updatedBySub().value()));
        if (distributor.updatedByUsername() != null) item.put("updatedByUsername", s(distributor.updatedByUsername()));
        // One write, and what it replaced says whether the account is new.
        var old = dynamo.putItem(r -> r.tableName(table).item(item).returnValues(ReturnValue.ALL_OLD)).attributes();
        return old == null || old.isEmpty();
    }

    @Override
    public Page page(int limit, String after) {
        // DynamoDB refuses a name or value that the expression does not use: the sort key only with a position.
        Map<String, String> names = new HashMap<>(Map.of("#pk", GSI1PK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(LIST_PK)));
        if (after != null) {
            names.put("#sk", GSI1SK);
            values.put(":after", s(after));
        }
        QueryResponse response = dynamo.query(QueryRequest.builder().tableName(table).indexName(GSI1)
                .keyConditionExpression("#pk = :pk" + (after == null ? "" : " AND #sk > :after"))
                .expressionAttributeNames(names).expressionAttributeValues(values)
                .limit(limit + 1).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
        ReadMeter.add(response);
        List<Map<String, AttributeValue>> items = response.items();
        List<Distributor> distributors = items.stream().limit(limit).map(DynamoDistributors::toDistributor).toList();
        String next = items.size() > limit ? items.get(limit - 1).get(GSI1SK).s() : null;
        return new Page(distributors, next);
    }

    static Distributor toDistributor(Map<String, AttributeValue> item) {
        return new Distributor(new DistributorId(str(item, "distributorId")), str(item, "name"), str(item, "rfc"),
                str(item, "contactEmail"), Distributor.Status.valueOf(str(item, "status")), KeyItems.instant(item, "updatedAt"),
                KeyItems.userId(item, "updatedBySub"), str(item, "updatedByUsername"));
    }
}
