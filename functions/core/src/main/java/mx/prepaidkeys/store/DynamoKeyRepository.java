package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyTable.GSI1;
import static mx.prepaidkeys.store.KeyTable.GSI1PK;
import static mx.prepaidkeys.store.KeyTable.GSI1SK;
import static mx.prepaidkeys.store.KeyTable.GSI2;
import static mx.prepaidkeys.store.KeyTable.GSI2PK;
import static mx.prepaidkeys.store.KeyTable.GSI2SK;
import static mx.prepaidkeys.store.KeyTable.PK;
import static mx.prepaidkeys.store.KeyTable.SK;

import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.domain.Activation;
import mx.prepaidkeys.domain.Assignment;
import mx.prepaidkeys.domain.Client;
import mx.prepaidkeys.domain.ConfirmationEmail;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.KeyBatch;
import mx.prepaidkeys.domain.KeyEvent;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.domain.Voiding;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The only class that knows the table layout (docs/data-model.md): key names, item shapes, index
 * keys and the condition expressions that encode the key lifecycle. Every read is a GetItem or a
 * Query; every state change is one conditional write or one transaction.
 */
@Singleton
public class DynamoKeyRepository implements KeyRepository {
    private static final String KEY_SK = "KEY";
    private static final String PRODUCT_SK = "PRODUCT";
    private static final String BATCH_SK = "BATCH";
    private static final String ACTIVATION_EMAIL_SK = "EMAIL#ACTIVATION";
    private static final String CATALOG = "CATALOG";
    /** Transactions that meet another transaction on the same item are cancelled, not queued: retry a few times. */
    private static final int CONFLICT_ATTEMPTS = 4;
    /** BatchWriteItem takes 25 items. */
    private static final int KEYS_PER_BATCH_WRITE = 25;
    /** A void transaction carries a key update and its history entry: 25 keys stay within 100 items. */
    private static final int KEYS_PER_VOID_TRANSACTION = 25;
    private static final int WRITE_THREADS = 8;
    private static final int UNPROCESSED_ATTEMPTS = 10;

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

    static String batchOrder(KeyStatus storedStatus, String keyId) {
        return storedStatus.name() + "#" + keyId;
    }

    // ---- reads -------------------------------------------------------------------------------

    @Override
    public Optional<PrepaidKey> findKey(String keyId) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(PK, s(keyPk(keyId)), SK, s(KEY_SK)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toKey(item));
    }

    @Override
    public Optional<KeyWithHistory> findKeyWithHistory(String keyId) {
        PrepaidKey key = null;
        List<KeyEvent> events = new ArrayList<>();
        String emailState = null;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(r -> r.tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", PK))
                    .expressionAttributeValues(Map.of(":pk", s(keyPk(keyId)))).exclusiveStartKey(from));
            for (var item : page.items()) {
                String sk = item.get(SK).s();
                if (sk.equals(KEY_SK)) key = toKey(item);
                else if (sk.startsWith("EVENT#")) events.add(toEvent(keyId, item));
                else if (sk.equals(ACTIVATION_EMAIL_SK)) emailState = str(item, "state");
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        if (key == null) return Optional.empty();
        if (key.batchId() != null) findBatch(key.batchId()).ifPresent(batch -> events.addFirst(issuedEvent(keyId, batch)));
        return Optional.of(new KeyWithHistory(key, List.copyOf(events), emailState));
    }

    @Override
    public Optional<Product> findProduct(String sku) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(PK, s("PRODUCT#" + sku), SK, s(PRODUCT_SK)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toProduct(item));
    }

    @Override
    public List<Product> listProducts() {
        List<Product> products = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(r -> r.tableName(table).indexName(GSI1)
                    .keyConditionExpression("#pk = :catalog").expressionAttributeNames(Map.of("#pk", GSI1PK))
                    .expressionAttributeValues(Map.of(":catalog", s(CATALOG))).exclusiveStartKey(from));
            page.items().forEach(item -> products.add(toProduct(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return products;
    }

    @Override
    public Optional<KeyBatch> findBatch(String batchId) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(PK, s("BATCH#" + batchId), SK, s(BATCH_SK)))).item();
        if (item == null || item.isEmpty()) return Optional.empty();
        return Optional.of(new KeyBatch(batchId, str(item, "productSku"), str(item, "productName"),
                Integer.parseInt(item.get("quantity").n()), instant(item, "expiresAt"), str(item, "note"),
                instant(item, "createdAt"), str(item, "createdBySub"), str(item, "createdByEmail")));
    }

    @Override
    public Map<KeyStatus, Integer> countBatch(String batchId) {
        Map<KeyStatus, Integer> counts = new EnumMap<>(KeyStatus.class);
        for (KeyStatus status : EnumSet.of(KeyStatus.ISSUED, KeyStatus.AVAILABLE, KeyStatus.USED, KeyStatus.VOID)) {
            int count = 0;
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = dynamo.query(r -> r.tableName(table).indexName(GSI2).select(Select.COUNT)
                        .keyConditionExpression("#pk = :batch AND begins_with(#sk, :status)")
                        .expressionAttributeNames(Map.of("#pk", GSI2PK, "#sk", GSI2SK))
                        .expressionAttributeValues(Map.of(":batch", s("BATCH#" + batchId), ":status", s(status.name() + "#")))
                        .exclusiveStartKey(from));
                count += page.count();
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
            counts.put(status, count);
        }
        return counts;
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

    // ---- writes: catalogue -------------------------------------------------------------------

    @Override
    public boolean saveProduct(Product product) {
        boolean created = findProduct(product.sku()).isEmpty();
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
        putLicense(item, license);
        Map<String, AttributeValue> version = new HashMap<>();
        version.put(PK, s("PRODUCT#" + product.sku()));
        version.put(SK, s("LICENSE#" + license.version()));
        version.put("type", s("LICENSE"));
        putLicense(version, license);
        try {
            dynamo.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(item).build()).build(),
                    // A published licence version is never rewritten: users accepted exactly that text.
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(version)
                            .conditionExpression("attribute_not_exists(PK) OR (licenseTitle = :title AND licenseUrl = :url AND licenseText = :text)")
                            .expressionAttributeValues(Map.of(":title", s(license.title()), ":url", s(license.url()), ":text", s(license.text())))
                            .build()).build()));
        } catch (TransactionCanceledException e) {
            if (reasons(e).stream().anyMatch(reason -> "ConditionalCheckFailed".equals(reason.code()))) {
                throw new DomainException(new DomainError.LicenseVersionImmutable(license.version()));
            }
            throw e;
        }
        return created;
    }

    private static void putLicense(Map<String, AttributeValue> item, License license) {
        item.put("licenseVersion", s(license.version()));
        item.put("licenseTitle", s(license.title()));
        item.put("licenseUrl", s(license.url()));
        item.put("licenseText", s(license.text()));
    }

    // ---- writes: minting ---------------------------------------------------------------------

    @Override
    public WriteStats saveBatch(KeyBatch batch, List<PrepaidKey> keys, Instant now) {
        long started = System.nanoTime();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s("BATCH#" + batch.batchId()));
        item.put(SK, s(BATCH_SK));
        item.put("type", s("BATCH"));
        item.put("batchId", s(batch.batchId()));
        item.put("productSku", s(batch.productSku()));
        item.put("productName", s(batch.productName()));
        item.put("quantity", n(batch.quantity()));
        if (batch.expiresAt() != null) item.put("expiresAt", s(Timestamps.format(batch.expiresAt())));
        if (batch.note() != null) item.put("note", s(batch.note()));
        item.put("createdAt", s(Timestamps.format(batch.createdAt())));
        item.put("createdBySub", s(batch.createdBySub()));
        if (batch.createdByEmail() != null) item.put("createdByEmail", s(batch.createdByEmail()));
        item.put("state", s("MINTING"));
        dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(PK)"));

        AtomicInteger requests = new AtomicInteger(1);
        DoubleAdder capacity = new DoubleAdder();
        List<List<WriteRequest>> chunks = new ArrayList<>();
        for (int i = 0; i < keys.size(); i += KEYS_PER_BATCH_WRITE) {
            List<WriteRequest> chunk = new ArrayList<>();
            // No history item per key: the batch item is the ISSUED entry of all its keys (findKeyWithHistory).
            for (PrepaidKey key : keys.subList(i, Math.min(keys.size(), i + KEYS_PER_BATCH_WRITE))) {
                chunk.add(WriteRequest.builder().putRequest(PutRequest.builder().item(keyItem(key)).build()).build());
            }
            chunks.add(chunk);
        }
        ExecutorService writers = Executors.newFixedThreadPool(Math.min(WRITE_THREADS, Math.max(1, chunks.size())));
        try {
            List<Future<?>> done = new ArrayList<>();
            for (List<WriteRequest> chunk : chunks) done.add(writers.submit(() -> writeAll(chunk, requests, capacity)));
            for (Future<?> future : done) future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while minting", e);
        } finally {
            writers.shutdownNow();
        }
        // Until this write the batch reads MINTING: a batch cut short by a fault is visible as such.
        dynamo.updateItem(r -> r.tableName(table).key(Map.of(PK, s("BATCH#" + batch.batchId()), SK, s(BATCH_SK)))
                .updateExpression("SET #state = :complete").expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":complete", s("COMPLETE"))));
        requests.incrementAndGet();
        return new WriteStats(keys.size() + 2, requests.get(), capacity.sum() + 2, (System.nanoTime() - started) / 1_000_000);
    }

    /** One BatchWriteItem, then its unprocessed items again with exponential backoff until none are left. */
    private void writeAll(List<WriteRequest> chunk, AtomicInteger requests, DoubleAdder capacity) {
        List<WriteRequest> pending = chunk;
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt == UNPROCESSED_ATTEMPTS) {
                throw new IllegalStateException(pending.size() + " items still unprocessed after " + attempt + " attempts");
            }
            if (attempt > 0) pause(Math.min(1000, 25L << attempt));
            List<WriteRequest> sending = pending;
            BatchWriteItemResponse response = dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, sending))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            requests.incrementAndGet();
            if (response.hasConsumedCapacity()) response.consumedCapacity().forEach(c -> capacity.add(c.capacityUnits() == null ? 0 : c.capacityUnits()));
            pending = response.hasUnprocessedItems() ? response.unprocessedItems().getOrDefault(table, List.of()) : List.of();
        }
    }

    private Map<String, AttributeValue> keyItem(PrepaidKey key) {
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
            item.put(GSI2SK, s(batchOrder(KeyStatus.ISSUED, key.keyId())));
        }
        if (key.expiresAt() != null) item.put("expiresAt", s(Timestamps.format(key.expiresAt())));
        return item;
    }

    /** The ISSUED entry of a key's history, from its batch's provenance. */
    private static KeyEvent issuedEvent(String keyId, KeyBatch batch) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("batchId", batch.batchId());
        if (batch.note() != null) details.put("note", batch.note());
        return new KeyEvent(keyId, KeyEvent.Type.ISSUED, batch.createdAt(), batch.createdBySub(), batch.createdByEmail(), Map.copyOf(details));
    }

    // ---- writes: transitions -----------------------------------------------------------------

    @Override
    public void saveActivation(PrepaidKey activated, KeyEvent event, ConfirmationEmail email, Instant now) {
        Activation a = activated.activation();
        Expression update = new Expression("SET #status = :available, distributorId = :distributor, activatedAt = :activatedAt, "
                + "activatedBySub = :sub, activatedByEmail = :email, licenseVersion = :licenseVersion, GSI1PK = :gsi1pk, GSI1SK = :gsi1sk");
        update.value(":issued", KeyStatus.ISSUED.name()).value(":available", KeyStatus.AVAILABLE.name())
                .value(":now", Timestamps.format(now)).value(":distributor", a.distributorId())
                .value(":activatedAt", Timestamps.format(a.activatedAt())).value(":sub", a.userSub()).value(":email", a.userEmail())
                .value(":licenseVersion", a.licenseVersion())
                .value(":gsi1pk", distributorPartition(a.distributorId(), KeyStatus.AVAILABLE))
                .value(":gsi1sk", activationOrder(a.activatedAt(), activated.keyId()));
        if (activated.batchId() != null) update.set("GSI2SK", batchOrder(KeyStatus.AVAILABLE, activated.keyId()));
        update.setIfPresent("activatedByName", a.userName()).setIfPresent("sourceIp", a.sourceIp()).setIfPresent("userAgent", a.userAgent());
        transact(activated.keyId(), List.of(
                // The lifecycle rule itself: only an ISSUED, unexpired key can be activated, once.
                TransactWriteItem.builder().update(update.on(activated.keyId(),
                        "#status = :issued AND (attribute_not_exists(expiresAt) OR expiresAt > :now)")).build(),
                TransactWriteItem.builder().put(eventPut(event)).build(),
                TransactWriteItem.builder().put(emailPut(email)).build()));
    }

    @Override
    public void saveAssignment(PrepaidKey assigned, KeyEvent event, Instant now) {
        Assignment a = assigned.assignment();
        Client client = a.client();
        Expression update = new Expression("SET #status = :used, clientRfc = :rfc, clientName = :name, clientNameKey = :nameKey, "
                + "assignedAt = :assignedAt, assignedBySub = :sub, assignedByEmail = :email, GSI1PK = :gsi1pk");
        update.value(":available", KeyStatus.AVAILABLE.name()).value(":used", KeyStatus.USED.name())
                .value(":distributor", assigned.distributorId()).value(":now", Timestamps.format(now))
                .value(":rfc", client.rfc()).value(":name", client.name()).value(":nameKey", client.searchKey())
                .value(":assignedAt", Timestamps.format(a.assignedAt())).value(":sub", a.bySub()).value(":email", a.byEmail())
                .value(":gsi1pk", distributorPartition(assigned.distributorId(), KeyStatus.USED));
        if (a.rfcCheckDigitOverridden()) update.set("rfcCheckDigitOverridden", AttributeValue.fromBool(true));
        if (assigned.batchId() != null) update.set("GSI2SK", batchOrder(KeyStatus.USED, assigned.keyId()));
        transact(assigned.keyId(), List.of(
                TransactWriteItem.builder().update(update.on(assigned.keyId(),
                        "#status = :available AND distributorId = :distributor AND (attribute_not_exists(expiresAt) OR expiresAt > :now)")).build(),
                TransactWriteItem.builder().put(eventPut(event)).build()));
    }

    @Override
    public void saveVoid(PrepaidKey before, PrepaidKey voided, KeyEvent event) {
        transact(voided.keyId(), List.of(
                TransactWriteItem.builder().update(voidUpdate(voided.keyId(), before.storedStatus(), before.distributorId(),
                        before.batchId() != null, voided.voiding())).build(),
                TransactWriteItem.builder().put(eventPut(event)).build()));
    }

    @Override
    public VoidTally voidBatch(String batchId, Voiding voiding) {
        List<Map<String, AttributeValue>> voidable = new ArrayList<>();
        for (KeyStatus status : List.of(KeyStatus.ISSUED, KeyStatus.AVAILABLE)) voidable.addAll(batchKeys(batchId, status));
        int voided = 0;
        for (int i = 0; i < voidable.size(); i += KEYS_PER_VOID_TRANSACTION) {
            List<Map<String, AttributeValue>> chunk = voidable.subList(i, Math.min(voidable.size(), i + KEYS_PER_VOID_TRANSACTION));
            List<TransactWriteItem> items = new ArrayList<>();
            for (var key : chunk) {
                String keyId = key.get("keyId").s();
                KeyStatus before = KeyStatus.valueOf(key.get("status").s());
                items.add(TransactWriteItem.builder().update(voidUpdate(keyId, before, str(key, "distributorId"), true, voiding)).build());
                items.add(TransactWriteItem.builder().put(eventPut(KeyEvent.voided(keyId, voiding, before))).build());
            }
            try {
                transact(batchId, items);
                voided += chunk.size();
            } catch (KeyChangedConcurrently someKeyMoved) {
                // A key of this chunk changed since it was read (confirmed, assigned): void the chunk one key at a time.
                for (var key : chunk) voided += voidOne(key.get("keyId").s(), voiding) ? 1 : 0;
            }
        }
        Map<KeyStatus, Integer> counts = countBatch(batchId);
        return new VoidTally(voided, counts.get(KeyStatus.VOID) - voided, counts.get(KeyStatus.USED));
    }

    private boolean voidOne(String keyId, Voiding voiding) {
        PrepaidKey before = findKey(keyId).orElseThrow();
        if (before.storedStatus() != KeyStatus.ISSUED && before.storedStatus() != KeyStatus.AVAILABLE) return false;
        saveVoid(before, before.voidWith(voiding), KeyEvent.voided(keyId, voiding, before.storedStatus()));
        return true;
    }

    /** The keys of a batch in one stored status, with what a void needs (from GSI2's projection). */
    private List<Map<String, AttributeValue>> batchKeys(String batchId, KeyStatus status) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(r -> r.tableName(table).indexName(GSI2)
                    .keyConditionExpression("#pk = :batch AND begins_with(#sk, :status)")
                    .expressionAttributeNames(Map.of("#pk", GSI2PK, "#sk", GSI2SK))
                    .expressionAttributeValues(Map.of(":batch", s("BATCH#" + batchId), ":status", s(status.name() + "#")))
                    .exclusiveStartKey(from));
            keys.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return keys;
    }

    private Update voidUpdate(String keyId, KeyStatus before, String distributorId, boolean inBatch, Voiding voiding) {
        Expression update = new Expression("SET #status = :void, voidReason = :reason, voidedAt = :at, voidedBySub = :sub");
        update.value(":void", KeyStatus.VOID.name()).value(":before", before.name()).value(":reason", voiding.reason())
                .value(":at", Timestamps.format(voiding.at())).value(":sub", voiding.bySub());
        update.setIfPresent("voidedByEmail", voiding.byEmail());
        if (distributorId != null) update.set("GSI1PK", distributorPartition(distributorId, KeyStatus.VOID));
        if (inBatch) update.set("GSI2SK", batchOrder(KeyStatus.VOID, keyId));
        // Only what was read as voidable (ISSUED or AVAILABLE) is voided; a key used meanwhile stays used.
        return update.on(keyId, "#status = :before");
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
        return Put.builder().tableName(table).item(eventItem(event)).conditionExpression("attribute_not_exists(PK)").build();
    }

    private static Map<String, AttributeValue> eventItem(KeyEvent event) {
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
        return item;
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
        item.put("validUntil", s(email.validUntil().toString()));
        // One email per activation, ever: the item exists once per key.
        return Put.builder().tableName(table).item(item).conditionExpression("attribute_not_exists(PK)").build();
    }

    private void transact(String keyId, List<TransactWriteItem> items) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(r -> r.transactItems(items));
                return;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = reasons(e);
                if (reasons.stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
                    throw new KeyChangedConcurrently(keyId);
                }
                boolean conflict = reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if (!conflict || attempt == CONFLICT_ATTEMPTS) throw e;
                pause(10L * attempt + (long) (Math.random() * 10));
            }
        }
    }

    private static List<CancellationReason> reasons(TransactionCanceledException e) {
        return e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a write", e);
        }
    }

    /** An update expression built clause by clause, with its values; {@code #status} is always named. */
    private final class Expression {
        private final StringBuilder set;
        private final Map<String, AttributeValue> values = new HashMap<>();

        Expression(String set) {
            this.set = new StringBuilder(set);
        }

        Expression value(String name, String value) {
            values.put(name, s(value));
            return this;
        }

        Expression set(String attribute, String value) {
            return set(attribute, s(value));
        }

        Expression set(String attribute, AttributeValue value) {
            set.append(", ").append(attribute).append(" = :").append(attribute);
            values.put(":" + attribute, value);
            return this;
        }

        Expression setIfPresent(String attribute, String value) {
            return value == null ? this : set(attribute, value);
        }

        Update on(String keyId, String condition) {
            return Update.builder().tableName(table)
                    .key(Map.of(PK, s(keyPk(keyId)), SK, s(KEY_SK)))
                    .updateExpression(set.toString())
                    .conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(values)
                    .build();
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
        Assignment assignment = null;
        if (item.containsKey("clientRfc")) {
            assignment = new Assignment(new Client(str(item, "clientRfc"), str(item, "clientName")), instant(item, "assignedAt"),
                    str(item, "assignedBySub"), str(item, "assignedByEmail"),
                    item.containsKey("rfcCheckDigitOverridden") && item.get("rfcCheckDigitOverridden").bool());
        }
        Voiding voiding = null;
        if (item.containsKey("voidReason")) {
            voiding = new Voiding(str(item, "voidReason"), instant(item, "voidedAt"), str(item, "voidedBySub"), str(item, "voidedByEmail"));
        }
        return new PrepaidKey(str(item, "keyId"), str(item, "maskedKey"), str(item, "productSku"), str(item, "productName"),
                str(item, "batchId"), KeyStatus.valueOf(str(item, "status")), instant(item, "expiresAt"), activation, assignment, voiding);
    }

    static KeyEvent toEvent(String keyId, Map<String, AttributeValue> item) {
        Map<String, String> details = new LinkedHashMap<>();
        if (item.containsKey("details")) item.get("details").m().forEach((name, value) -> details.put(name, value.s()));
        return new KeyEvent(keyId, KeyEvent.Type.valueOf(str(item, "eventType")), instant(item, "at"), str(item, "actorSub"),
                str(item, "actorEmail"), Map.copyOf(details));
    }

    static Product toProduct(Map<String, AttributeValue> item) {
        return new Product(str(item, "sku"), str(item, "name"), str(item, "description"),
                Integer.parseInt(item.get("termMonths").n()),
                new License(str(item, "licenseVersion"), str(item, "licenseTitle"), str(item, "licenseUrl"),
                        str(item, "licenseText")));
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
