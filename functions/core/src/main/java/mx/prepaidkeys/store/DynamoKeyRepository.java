package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyTable.GSI1;
import static mx.prepaidkeys.store.KeyTable.GSI1PK;
import static mx.prepaidkeys.store.KeyTable.GSI1SK;
import static mx.prepaidkeys.store.KeyTable.GSI2PK;
import static mx.prepaidkeys.store.KeyTable.GSI2SK;
import static mx.prepaidkeys.store.KeyTable.PK;
import static mx.prepaidkeys.store.KeyTable.SK;

import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.domain.Activation;
import mx.prepaidkeys.domain.ConfirmationEmail;
import mx.prepaidkeys.domain.KeyEvent;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.domain.Timestamps;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The only class that knows the table layout (docs/data-model.md): key names, item shapes, index
 * keys and the condition expressions that encode the key lifecycle. Every read is a GetItem or a
 * Query; every state change is one conditional write or one transaction.
 */
@Singleton
public class DynamoKeyRepository implements KeyRepository {
    private static final String KEY_SK = "KEY";
    private static final String PRODUCT_SK = "PRODUCT";
    private static final String ACTIVATION_EMAIL_SK = "EMAIL#ACTIVATION";
    private static final String CATALOG = "CATALOG";
    /** Transactions that meet another transaction on the same item are cancelled, not queued: retry a few times. */
    private static final int CONFLICT_ATTEMPTS = 4;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoKeyRepository(DynamoDbClient dynamo, ServiceSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.tableName();
    }

    static String keyPk(String keyId) {
        return "KEY#" + keyId;
    }

    static String distributorPartition(String distributorId, KeyStatus storedStatus) {
        return "DIST#" + distributorId + "#" + storedStatus.name();
    }

    static String activationOrder(Instant activatedAt, String keyId) {
        return Timestamps.format(activatedAt) + "#" + keyId;
    }

    // ---- reads -------------------------------------------------------------------------------

    @Override
    public Optional<PrepaidKey> findKey(String keyId) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(PK, s(keyPk(keyId)), SK, s(KEY_SK)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toKey(item));
    }

    @Override
    public Optional<Product> findProduct(String sku) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(PK, s("PRODUCT#" + sku), SK, s(PRODUCT_SK)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toProduct(item));
    }

    @Override
    public KeyPage findByDistributor(String distributorId, Set<KeyStatus> statuses, int limit, String after, Instant now) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        for (var partition : partitionsFor(statuses).entrySet()) {
            found.addAll(queryNewestFirst(distributorPartition(distributorId, partition.getKey()), partition.getValue(),
                    limit + 1, after, now));
        }
        // Each partition is already newest first; merging them keeps one order across statuses.
        found.sort(Comparator.comparing((Map<String, AttributeValue> item) -> item.get(GSI1SK).s()).reversed());
        List<PrepaidKey> page = found.stream().limit(limit).map(DynamoKeyRepository::toKey).toList();
        String next = found.size() > limit ? found.get(limit - 1).get(GSI1SK).s() : null;
        return new KeyPage(page, next);
    }

    /** Which stored-status partitions hold the requested statuses, and which expiry filter each needs. */
    private static Map<KeyStatus, ExpiryFilter> partitionsFor(Set<KeyStatus> statuses) {
        Map<KeyStatus, ExpiryFilter> partitions = new LinkedHashMap<>();
        boolean available = statuses.contains(KeyStatus.AVAILABLE);
        boolean expired = statuses.contains(KeyStatus.EXPIRED);
        if (available || expired) {
            partitions.put(KeyStatus.AVAILABLE, available && expired ? ExpiryFilter.ANY
                    : available ? ExpiryFilter.UNEXPIRED : ExpiryFilter.EXPIRED);
        }
        for (KeyStatus status : EnumSet.of(KeyStatus.USED, KeyStatus.VOID)) {
            if (statuses.contains(status)) partitions.put(status, ExpiryFilter.ANY);
        }
        return partitions;
    }

    private enum ExpiryFilter { ANY, UNEXPIRED, EXPIRED }

    private List<Map<String, AttributeValue>> queryNewestFirst(String partition, ExpiryFilter filter, int wanted,
                                                               String after, Instant now) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", GSI1PK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(partition)));
        String condition = "#pk = :pk";
        if (after != null) {
            names.put("#sk", GSI1SK);
            values.put(":after", s(after));
            condition += " AND #sk < :after";
        }
        String filterExpression = switch (filter) {
            case ANY -> null;
            case UNEXPIRED -> "attribute_not_exists(expiresAt) OR expiresAt > :now";
            case EXPIRED -> "expiresAt <= :now";
        };
        if (filterExpression != null) values.put(":now", s(Timestamps.format(now)));

        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        // A filter can leave a page short; keep reading until the page is full or the partition ends.
        do {
            QueryRequest.Builder request = QueryRequest.builder().tableName(table).indexName(GSI1)
                    .keyConditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)
                    .scanIndexForward(false).limit(wanted - items.size());
            if (filterExpression != null) request.filterExpression(filterExpression);
            if (start != null) request.exclusiveStartKey(start);
            QueryResponse response = dynamo.query(request.build());
            items.addAll(response.items());
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null && items.size() < wanted);
        return items;
    }

    // ---- writes ------------------------------------------------------------------------------

    @Override
    public void saveProduct(Product product) {
        License license = product.license();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s("PRODUCT#" + product.sku()));
        item.put(SK, s(PRODUCT_SK));
        item.put(GSI1PK, s(CATALOG));
        item.put(GSI1SK, s(product.sku()));
        item.put("type", s("PRODUCT"));
        item.put("sku", s(product.sku()));
        item.put("name", s(product.name()));
        item.put("description", s(product.description()));
        item.put("termMonths", n(product.termMonths()));
        item.put("licenseVersion", s(license.version()));
        item.put("licenseTitle", s(license.title()));
        item.put("licenseUrl", s(license.url()));
        item.put("licenseText", s(license.text()));
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    @Override
    public void issue(List<PrepaidKey> keys, Instant now) {
        for (PrepaidKey key : keys) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put(PK, s(keyPk(key.keyId())));
            item.put(SK, s(KEY_SK));
            item.put("type", s("KEY"));
            item.put("keyId", s(key.keyId()));
            item.put("maskedKey", s(key.maskedKey()));
            item.put("productSku", s(key.productSku()));
            item.put("productName", s(key.productName()));
            item.put("status", s(KeyStatus.ISSUED.name()));
            if (key.batchId() != null) {
                item.put("batchId", s(key.batchId()));
                item.put(GSI2PK, s("BATCH#" + key.batchId()));
                item.put(GSI2SK, s(KeyStatus.ISSUED.name() + "#" + key.keyId()));
            }
            if (key.expiresAt() != null) item.put("expiresAt", s(Timestamps.format(key.expiresAt())));
            KeyEvent issued = new KeyEvent(key.keyId(), KeyEvent.Type.ISSUED, now, null, null,
                    key.batchId() == null ? Map.of() : Map.of("batchId", key.batchId()));
            transact(key.keyId(), List.of(
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                            .conditionExpression("attribute_not_exists(PK)").build()).build(),
                    TransactWriteItem.builder().put(eventPut(issued)).build()));
        }
    }

    @Override
    public void saveActivation(PrepaidKey activated, KeyEvent event, ConfirmationEmail email, Instant now) {
        Activation a = activated.activation();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":issued", s(KeyStatus.ISSUED.name()));
        values.put(":available", s(KeyStatus.AVAILABLE.name()));
        values.put(":now", s(Timestamps.format(now)));
        values.put(":distributor", s(a.distributorId()));
        values.put(":activatedAt", s(Timestamps.format(a.activatedAt())));
        values.put(":sub", s(a.userSub()));
        values.put(":email", s(a.userEmail()));
        values.put(":licenseVersion", s(a.licenseVersion()));
        values.put(":gsi1pk", s(distributorPartition(a.distributorId(), KeyStatus.AVAILABLE)));
        values.put(":gsi1sk", s(activationOrder(a.activatedAt(), activated.keyId())));
        values.put(":gsi2sk", s(KeyStatus.AVAILABLE.name() + "#" + activated.keyId()));
        StringBuilder set = new StringBuilder("SET #status = :available, distributorId = :distributor, "
                + "activatedAt = :activatedAt, activatedBySub = :sub, activatedByEmail = :email, "
                + "licenseVersion = :licenseVersion, GSI1PK = :gsi1pk, GSI1SK = :gsi1sk");
        if (activated.batchId() != null) set.append(", GSI2SK = :gsi2sk");
        else values.remove(":gsi2sk");
        optional(set, values, "activatedByName", a.userName());
        optional(set, values, "sourceIp", a.sourceIp());
        optional(set, values, "userAgent", a.userAgent());

        Update update = Update.builder().tableName(table)
                .key(Map.of(PK, s(keyPk(activated.keyId())), SK, s(KEY_SK)))
                .updateExpression(set.toString())
                // The lifecycle rule itself: only an ISSUED, unexpired key can be activated, once.
                .conditionExpression("#status = :issued AND (attribute_not_exists(expiresAt) OR expiresAt > :now)")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(values)
                .build();
        transact(activated.keyId(), List.of(
                TransactWriteItem.builder().update(update).build(),
                TransactWriteItem.builder().put(eventPut(event)).build(),
                TransactWriteItem.builder().put(emailPut(email)).build()));
    }

    @Override
    public void markEmailSent(String keyId, String messageId, Instant at) {
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(Map.of(PK, s(keyPk(keyId)), SK, s(ACTIVATION_EMAIL_SK)))
                    .updateExpression("SET #state = :sent, messageId = :messageId, sentAt = :at")
                    .conditionExpression("#state = :pending")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":sent", s("SENT"), ":pending", s("PENDING"),
                            ":messageId", s(messageId), ":at", s(Timestamps.format(at)))));
        } catch (ConditionalCheckFailedException alreadySent) {
            // already SENT: marking twice changes nothing
        }
    }

    private Put eventPut(KeyEvent event) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(keyPk(event.keyId())));
        item.put(SK, s("EVENT#" + Timestamps.format(event.at()) + "#" + event.type().name()));
        item.put("type", s("EVENT"));
        item.put("eventType", s(event.type().name()));
        item.put("at", s(Timestamps.format(event.at())));
        if (event.actorSub() != null) item.put("actorSub", s(event.actorSub()));
        if (event.actorEmail() != null) item.put("actorEmail", s(event.actorEmail()));
        if (!event.details().isEmpty()) {
            Map<String, AttributeValue> details = new HashMap<>();
            event.details().forEach((name, value) -> details.put(name, s(value)));
            item.put("details", AttributeValue.fromM(details));
        }
        return Put.builder().tableName(table).item(item).conditionExpression("attribute_not_exists(PK)").build();
    }

    private Put emailPut(ConfirmationEmail email) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(keyPk(email.keyId())));
        item.put(SK, s(ACTIVATION_EMAIL_SK));
        item.put("type", s("EMAIL"));
        item.put("state", s("PENDING"));
        item.put("to", s(email.to()));
        if (email.recipientName() != null) item.put("recipientName", s(email.recipientName()));
        item.put("locale", s(email.locale()));
        item.put("maskedKey", s(email.maskedKey()));
        item.put("productSku", s(email.productSku()));
        item.put("productName", s(email.productName()));
        item.put("distributorId", s(email.distributorId()));
        item.put("activatedAt", s(Timestamps.format(email.activatedAt())));
        // One email per activation, ever: the item exists once per key.
        return Put.builder().tableName(table).item(item).conditionExpression("attribute_not_exists(PK)").build();
    }

    private void transact(String keyId, List<TransactWriteItem> items) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(r -> r.transactItems(items));
                return;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                if (reasons.stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
                    throw new KeyChangedConcurrently(keyId);
                }
                boolean conflict = reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if (!conflict || attempt == CONFLICT_ATTEMPTS) throw e;
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(10L * attempt + (long) (Math.random() * 10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a conflicting transaction", e);
        }
    }

    // ---- mapping -----------------------------------------------------------------------------

    static PrepaidKey toKey(Map<String, AttributeValue> item) {
        Activation activation = null;
        if (item.containsKey("distributorId")) {
            activation = new Activation(str(item, "distributorId"), instant(item, "activatedAt"), str(item, "activatedBySub"),
                    str(item, "activatedByEmail"), str(item, "activatedByName"), str(item, "licenseVersion"),
                    str(item, "sourceIp"), str(item, "userAgent"));
        }
        return new PrepaidKey(str(item, "keyId"), str(item, "maskedKey"), str(item, "productSku"), str(item, "productName"),
                str(item, "batchId"), KeyStatus.valueOf(str(item, "status")), instant(item, "expiresAt"), activation);
    }

    static Product toProduct(Map<String, AttributeValue> item) {
        return new Product(str(item, "sku"), str(item, "name"), str(item, "description"),
                Integer.parseInt(item.get("termMonths").n()),
                new License(str(item, "licenseVersion"), str(item, "licenseTitle"), str(item, "licenseUrl"),
                        str(item, "licenseText")));
    }

    private static void optional(StringBuilder set, Map<String, AttributeValue> values, String attribute, String value) {
        if (value == null) return;
        set.append(", ").append(attribute).append(" = :").append(attribute);
        values.put(":" + attribute, s(value));
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String text = str(item, name);
        return text == null ? null : Timestamps.parse(text);
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
