package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyItems.s;
import static mx.prepaidkeys.store.KeyItems.str;
import static mx.prepaidkeys.store.KeyTable.PK;
import static mx.prepaidkeys.store.KeyTable.SK;

import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.domain.ClientDirectory;
import mx.prepaidkeys.domain.ClientWords;
import mx.prepaidkeys.domain.DirectoryChange;
import mx.prepaidkeys.domain.DirectoryClient;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.Timestamps;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The client directory's layout (docs/data-model.md, "Client"): one item per client under
 * {@code CLIENTS#<d>}, sorted by RFC, and one per word of its name under
 * {@code CLIENTWORDS#<d>}, sorted by {@code <word>#<rfc>}, so a search by the start of any word
 * is one Query with {@code begins_with}. The word items are written and deleted in the transaction
 * that writes the client's name. Every read is a Query, a GetItem or a BatchGetItem.
 */
@Singleton
public class DynamoClientDirectory implements ClientDirectory {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoClientDirectory(DynamoDbClient dynamo, ServiceSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.tableName();
    }

    static String clientsPk(DistributorId distributorId) {
        return "CLIENTS#" + distributorId.value();
    }

    static String wordsPk(DistributorId distributorId) {
        return "CLIENTWORDS#" + distributorId.value();
    }

    private static Map<String, AttributeValue> key(DistributorId distributorId, String rfc) {
        return Map.of(PK, s(clientsPk(distributorId)), SK, s(rfc));
    }

    @Override
    public Optional<DirectoryClient> find(DistributorId distributorId, String rfc) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(key(distributorId, rfc))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toClient(distributorId, item));
    }

    @Override
    public ClientPage list(DistributorId distributorId, int limit, String after) {
        QueryResponse page = query(clientsPk(distributorId), null, limit, after);
        List<DirectoryClient> clients = page.items().stream().map(item -> toClient(distributorId, item)).toList();
        return new ClientPage(clients, next(page));
    }

    @Override
    public ClientPage search(DistributorId distributorId, List<String> prefixes, int limit, String after) {
        QueryResponse page = query(wordsPk(distributorId), prefixes.getFirst(), limit, after);
        Set<String> rfcs = new LinkedHashSet<>();
        for (var word : page.items()) {
            if (ClientWords.matches(str(word, "name"), prefixes)) rfcs.add(str(word, "rfc"));
        }
        return new ClientPage(read(distributorId, List.copyOf(rfcs)), next(page));
    }

    /** A page of one partition, from after a position (a sort key), with the read's capacity metered. */
    private QueryResponse query(String pk, String prefix, int limit, String after) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(pk)));
        String condition = "#pk = :pk";
        if (prefix != null) {
            condition += " AND begins_with(#sk, :prefix)";
            values.put(":prefix", s(prefix));
        }
        QueryRequest.Builder request = QueryRequest.builder().tableName(table).keyConditionExpression(condition)
                .expressionAttributeNames(prefix == null ? Map.of("#pk", PK) : Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(values).limit(limit).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        if (after != null) request.exclusiveStartKey(Map.of(PK, s(pk), SK, s(after)));
        QueryResponse response = dynamo.query(request.build());
        ReadMeter.add(response);
        return response;
    }

    private static String next(QueryResponse page) {
        return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey().get(SK).s() : null;
    }

    /** The clients themselves, in the order asked (a search page's order: by word, then RFC). */
    private List<DirectoryClient> read(DistributorId distributorId, List<String> rfcs) {
        if (rfcs.isEmpty()) return List.of();
        Map<String, DirectoryClient> found = new HashMap<>();
        Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder()
                .keys(rfcs.stream().map(rfc -> key(distributorId, rfc)).toList()).build());
        for (int attempt = 0; request != null && !request.isEmpty(); attempt++) {
            if (attempt > 0) Transactions.pause(Math.min(1000, 25L << attempt));
            Map<String, KeysAndAttributes> asking = request;
            var response = dynamo.batchGetItem(r -> r.requestItems(asking).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            List<Map<String, AttributeValue>> items = response.responses().getOrDefault(table, List.of());
            ReadMeter.add(response.hasConsumedCapacity() && !response.consumedCapacity().isEmpty()
                    ? response.consumedCapacity().getFirst() : null, items.size());
            items.forEach(item -> found.put(str(item, SK), toClient(distributorId, item)));
            request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : null;
        }
        List<DirectoryClient> clients = new ArrayList<>();
        for (String rfc : rfcs) if (found.containsKey(rfc)) clients.add(found.get(rfc));
        return clients;
    }

    @Override
    public void update(DirectoryClient before, DirectoryClient after) {
        List<TransactWriteItem> items = new ArrayList<>();
        Map<String, String> names = new HashMap<>(Map.of("#name", "name", "#version", "version"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":name", s(after.name()),
                ":version", AttributeValue.fromN(Long.toString(after.version())),
                ":was", AttributeValue.fromN(Long.toString(before.version()))));
        List<String> sets = new ArrayList<>(List.of("#name = :name", "#version = :version"));
        List<String> removes = new ArrayList<>();
        optional("email", after.email(), names, values, sets, removes);
        optional("notes", after.notes(), names, values, sets, removes);
        String expression = "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
        items.add(TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(after.distributorId(), after.rfc()))
                .updateExpression(expression).conditionExpression("#version = :was")
                .expressionAttributeNames(names).expressionAttributeValues(values).build()).build());
        List<String> oldWords = ClientWords.of(before.name());
        List<String> newWords = ClientWords.of(after.name());
        for (String word : oldWords) {
            if (!newWords.contains(word)) {
                items.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                        .key(wordKey(after.distributorId(), word, after.rfc())).build()).build());
            }
        }
        // Every word is written again: the name each word item carries (what a search filters on) changed.
        for (String word : newWords) items.add(TransactWriteItem.builder().put(wordPut(after.distributorId(), word, after.rfc(), after.name())).build());
        try {
            dynamo.transactWriteItems(r -> r.transactItems(items));
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e)) throw new ClientChangedConcurrently(after.rfc());
            throw e;
        }
    }

    private static void optional(String attribute, String value, Map<String, String> names, Map<String, AttributeValue> values,
                                 List<String> sets, List<String> removes) {
        names.put("#" + attribute, attribute);
        if (value == null) removes.add("#" + attribute);
        else {
            values.put(":" + attribute, s(value));
            sets.add("#" + attribute + " = :" + attribute);
        }
    }

    @Override
    public mx.prepaidkeys.domain.KeyRepository.WriteStats importClients(List<DirectoryClient> clients) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (DirectoryClient client : clients) {
            items.add(item(client));
            for (String word : ClientWords.of(client.name())) items.add(wordPut(client.distributorId(), word, client.rfc(), client.name()).item());
        }
        return new BulkWrites(dynamo, table).items(items);
    }

    // ---- the directory's part of a key's transaction ---------------------------------------------

    /** The writes of directory changes, to go into a key's transaction. */
    List<TransactWriteItem> writes(List<DirectoryChange> changes) {
        List<TransactWriteItem> items = new ArrayList<>();
        for (DirectoryChange change : changes) {
            switch (change) {
                case DirectoryChange.Added added -> {
                    DirectoryClient client = added.client();
                    items.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(item(client))
                            .conditionExpression("attribute_not_exists(PK)").build()).build());
                    for (String word : ClientWords.of(client.name())) {
                        items.add(TransactWriteItem.builder().put(wordPut(client.distributorId(), word, client.rfc(), client.name())).build());
                    }
                }
                case DirectoryChange.KeyAdded added -> items.add(TransactWriteItem.builder().update(Update.builder().tableName(table)
                        .key(key(added.distributorId(), added.rfc()))
                        .updateExpression("ADD keyCount :one SET lastAssignedAt = :at")
                        .conditionExpression("attribute_exists(PK)")
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":at", s(Timestamps.format(added.at()))))
                        .build()).build());
                case DirectoryChange.KeyRemoved removed -> items.add(TransactWriteItem.builder().update(Update.builder().tableName(table)
                        .key(key(removed.distributorId(), removed.rfc()))
                        .updateExpression("ADD keyCount :minusOne")
                        .conditionExpression("attribute_exists(PK) AND keyCount > :zero")
                        .expressionAttributeValues(Map.of(":minusOne", AttributeValue.fromN("-1"), ":zero", AttributeValue.fromN("0")))
                        .build()).build());
            }
        }
        return items;
    }

    private Map<String, AttributeValue> item(DirectoryClient client) {
        Map<String, AttributeValue> item = new HashMap<>(key(client.distributorId(), client.rfc()));
        item.put("type", s("CLIENT"));
        item.put("distributorId", s(client.distributorId().value()));
        item.put("rfc", s(client.rfc()));
        item.put("name", s(client.name()));
        if (client.email() != null) item.put("email", s(client.email()));
        if (client.notes() != null) item.put("notes", s(client.notes()));
        item.put("firstAssignedAt", s(Timestamps.format(client.firstAssignedAt())));
        item.put("lastAssignedAt", s(Timestamps.format(client.lastAssignedAt())));
        item.put("keyCount", AttributeValue.fromN(Integer.toString(client.keyCount())));
        item.put("version", AttributeValue.fromN(Long.toString(client.version())));
        return item;
    }

    private static Map<String, AttributeValue> wordKey(DistributorId distributorId, String word, String rfc) {
        return Map.of(PK, s(wordsPk(distributorId)), SK, s(word + "#" + rfc));
    }

    private Put wordPut(DistributorId distributorId, String word, String rfc, String name) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(wordKey(distributorId, word, rfc));
        item.put("type", s("CLIENT_WORD"));
        item.put("rfc", s(rfc));
        item.put("name", s(name));
        return Put.builder().tableName(table).item(item).build();
    }

    private static DirectoryClient toClient(DistributorId distributorId, Map<String, AttributeValue> item) {
        return new DirectoryClient(distributorId, str(item, "rfc"), str(item, "name"), str(item, "email"), str(item, "notes"),
                Instant.parse(str(item, "firstAssignedAt")), Instant.parse(str(item, "lastAssignedAt")),
                Integer.parseInt(item.get("keyCount").n()), Long.parseLong(item.get("version").n()));
    }
}
