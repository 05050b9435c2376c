package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyItems.s;
import static mx.prepaidkeys.store.KeyItems.str;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.domain.ConfirmationEmail;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.KeyBatch;
import mx.prepaidkeys.domain.KeyEvent;
import mx.prepaidkeys.domain.KeyFilter;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.KeySort;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.domain.StatusCounts;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.domain.Voiding;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The table's layout in use (docs/data-model.md): item shapes ({@link KeyItems}), the list's queries
 * ({@link KeyQueries}), and the writes, whose conditions encode the key lifecycle. Every read is a
 * GetItem, a BatchGetItem or a Query; every state change is one conditional write or one
 * transaction, which also moves the distributor's counters.
 */
@Singleton
public class DynamoKeyRepository implements KeyRepository {
    private static final String PRODUCT_SK = "PRODUCT";
    private static final String BATCH_SK = "BATCH";
    /** Beside its batch while a mint may need finishing: the sealed seed its keys are drawn from. */
    private static final String MINT_SEED_SK = "MINT#SEED";
    private static final String ACTIVATION_EMAIL_SK = DynamoEmailOutbox.SK_VALUE;
    private static final String CATALOG = "CATALOG";
    private static final String TOTAL_SK = "TOTAL";
    /** Transactions that meet another transaction on the same item are cancelled, not queued: retry a few times. */
    private static final int CONFLICT_ATTEMPTS = 6;
    private static final int ITEMS_PER_BATCH_WRITE = 25;
    /** A void transaction holds 2 items per key and up to 2 counter items per key: 20 keys stay within 100. */
    private static final int KEYS_PER_VOID_TRANSACTION = 20;
    private static final int WRITE_THREADS = 8;
    private static final int UNPROCESSED_ATTEMPTS = 10;

    private final DynamoDbClient dynamo;
    private final String table;
    private final KeyQueries queries;

    public DynamoKeyRepository(DynamoDbClient dynamo, ServiceSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.tableName();
        this.queries = new KeyQueries(dynamo, table);
    }

    // ---- reads -------------------------------------------------------------------------------

    @Override
    public Optional<PrepaidKey> findKey(String keyId) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(KeyItems.key(keyId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(KeyItems.toKey(item));
    }

    @Override
    public Optional<PrepaidKey> findAnyKey(List<String> keyIds) {
        if (keyIds.size() == 1) return findKey(keyIds.getFirst());
        List<PrepaidKey> found = readKeys(keyIds);
        // Ids are 128-bit hashes under different keys: two versions never name two stored keys.
        return found.stream().findFirst();
    }

    @Override
    public Optional<KeyWithHistory> findKeyWithHistory(String keyId) {
        PrepaidKey key = null;
        List<KeyEvent> events = new ArrayList<>();
        String emailState = null;
        for (var item : queryPartition(KeyItems.keyPk(keyId))) {
            String sk = item.get(SK).s();
            if (sk.equals(KeyItems.KEY_SK)) key = KeyItems.toKey(item);
            else if (sk.startsWith("EVENT#")) events.add(toEvent(keyId, item));
            else if (sk.equals(ACTIVATION_EMAIL_SK)) emailState = str(item, "state");
        }
        if (key == null) return Optional.empty();
        if (key.batchId() != null) findBatch(key.batchId()).ifPresent(batch -> events.addFirst(issuedEvent(keyId, batch)));
        return Optional.of(new KeyWithHistory(key, List.copyOf(events), emailState));
    }

    private List<Map<String, AttributeValue>> queryPartition(String pk) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(r -> r.tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", PK))
                    .expressionAttributeValues(Map.of(":pk", s(pk))).exclusiveStartKey(from));
            items.addAll(page.items());
            start = more(page);
        } while (start != null);
        return items;
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
            start = more(page);
        } while (start != null);
        return products;
    }

    @Override
    public Optional<KeyBatch> findBatch(String batchId) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(PK, s("BATCH#" + batchId), SK, s(BATCH_SK)))).item();
        if (item == null || item.isEmpty()) return Optional.empty();
        return Optional.of(new KeyBatch(batchId, str(item, "productSku"), str(item, "productName"),
                Integer.parseInt(item.get("quantity").n()), KeyItems.instant(item, "expiresAt"), str(item, "note"),
                KeyItems.instant(item, "createdAt"), str(item, "createdBySub"), str(item, "createdByUsername"),
                item.containsKey("hashVersion") ? Integer.parseInt(item.get("hashVersion").n()) : 1));
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
                start = more(page);
            } while (start != null);
            counts.put(status, count);
        }
        return counts;
    }

    @Override
    public KeyPage findByDistributor(String distributorId, KeyFilter filter, KeySort sort, int limit, String after, Instant now) {
        return queries.page(distributorId, filter, sort, limit, after, now);
    }

    @Override
    public int forEachByDistributor(String distributorId, KeyFilter filter, KeySort sort, Instant now, int max,
                                    java.util.function.Consumer<PrepaidKey> row) {
        return queries.each(distributorId, filter, sort, now, max, row);
    }

    @Override
    public StatusCounts countByStatus(String distributorId, KeyFilter filter, Instant now) {
        return queries.counts(distributorId, filter, now, this::readCounters);
    }

    /**
     * A distributor's counter items, by sort key: without dates {@code TOTAL} and this month's
     * {@code EXP#} item; with dates the {@code DAY#} items of the range (Mexico City days).
     */
    private Map<String, Map<String, Integer>> readCounters(String distributorId, Instant from, Instant before, Instant now) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        if (from == null && before == null) {
            for (String sk : List.of(KeyItems.TOTAL, "EXP#" + Timestamps.format(now).substring(0, 7))) {
                var item = dynamo.getItem(r -> r.tableName(table).key(Map.of(PK, s(countersPk(distributorId)), SK, s(sk)))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                ReadMeter.add(item.consumedCapacity());
                if (item.item() != null && !item.item().isEmpty()) items.add(item.item());
            }
        } else {
            String low = "DAY#" + (from == null ? "0000-00-00" : KeyItems.day(from));
            String high = "DAY#" + (before == null ? "9999-99-99" : KeyItems.day(before.minusMillis(1)));
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> at = start;
                QueryResponse page = dynamo.query(r -> r.tableName(table)
                        .keyConditionExpression("#pk = :pk AND #sk BETWEEN :low AND :high")
                        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                        .expressionAttributeValues(Map.of(":pk", s(countersPk(distributorId)), ":low", s(low), ":high", s(high)))
                        .exclusiveStartKey(at).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                ReadMeter.add(page);
                items.addAll(page.items());
                start = more(page);
            } while (start != null);
        }
        Map<String, Map<String, Integer>> counters = new LinkedHashMap<>();
        for (var item : items) {
            Map<String, Integer> buckets = new HashMap<>();
            item.forEach((name, value) -> {
                if (name.contains("|") && value.n() != null) buckets.put(name, Integer.parseInt(value.n()));
            });
            counters.put(item.get(SK).s(), buckets);
        }
        return counters;
    }

    private static String countersPk(String distributorId) {
        return "COUNTS#" + distributorId;
    }

    private static Map<String, AttributeValue> more(QueryResponse page) {
        return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
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
        item.put("termMonths", AttributeValue.fromN(Integer.toString(product.termMonths())));
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

    // ---- writes: bulk ------------------------------------------------------------------------

    @Override
    public WriteStats saveBatch(KeyBatch batch, List<PrepaidKey> keys, Instant now) {
        long started = System.nanoTime();
        Map<String, AttributeValue> item = batchItem(batch);
        dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(PK)"));
        // No history item per key: the batch item is the ISSUED entry of all its keys (findKeyWithHistory).
        WriteStats written = writeInBulk(keys);
        // Until this write the batch reads MINTING: a batch cut short by a fault is visible as such.
        completeMint(batch.batchId());
        return new WriteStats(written.items() + 2, written.requests() + 2, written.capacityUnits() + 2,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** The batch item, MINTING: the ISSUED entry of its keys' history. */
    private static Map<String, AttributeValue> batchItem(KeyBatch batch) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s("BATCH#" + batch.batchId()));
        item.put(SK, s(BATCH_SK));
        item.put("type", s("BATCH"));
        item.put("batchId", s(batch.batchId()));
        item.put("productSku", s(batch.productSku()));
        item.put("productName", s(batch.productName()));
        item.put("quantity", AttributeValue.fromN(Integer.toString(batch.quantity())));
        if (batch.expiresAt() != null) item.put("expiresAt", s(Timestamps.format(batch.expiresAt())));
        if (batch.note() != null) item.put("note", s(batch.note()));
        item.put("createdAt", s(Timestamps.format(batch.createdAt())));
        item.put("createdBySub", s(batch.createdBySub()));
        if (batch.createdByUsername() != null) item.put("createdByUsername", s(batch.createdByUsername()));
        item.put("hashVersion", AttributeValue.fromN(Integer.toString(batch.hashVersion())));
        item.put("state", s("MINTING"));
        return item;
    }

    @Override
    public void startMint(KeyBatch batch, byte[] sealedSeed, int sealVersion, Instant now, java.time.Duration seedRetention) {
        Map<String, AttributeValue> item = batchItem(batch);
        item.put("written", AttributeValue.fromN("0"));
        Map<String, AttributeValue> seed = new HashMap<>();
        seed.put(PK, s("BATCH#" + batch.batchId()));
        seed.put(SK, s(MINT_SEED_SK));
        seed.put("type", s("MINT_SEED"));
        seed.put("sealedSeed", AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromByteArray(sealedSeed)));
        seed.put("sealVersion", AttributeValue.fromN(Integer.toString(sealVersion)));
        seed.put("ttl", AttributeValue.fromN(Long.toString(now.plus(seedRetention).getEpochSecond())));
        try {
            dynamo.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(item).conditionExpression("attribute_not_exists(PK)").build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(seed).conditionExpression("attribute_not_exists(PK)").build()).build()));
        } catch (software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException exists) {
            if (exists.cancellationReasons().stream().anyMatch(reason -> "ConditionalCheckFailed".equals(reason.code()))) {
                throw new MintAlreadyStarted(batch.batchId());
            }
            throw exists;
        }
    }

    @Override
    public Optional<MintProgress> findMint(String batchId) {
        Optional<KeyBatch> batch = findBatch(batchId);
        if (batch.isEmpty()) return Optional.empty();
        var state = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(PK, s("BATCH#" + batchId), SK, s(BATCH_SK)))
                .projectionExpression("#state, written").expressionAttributeNames(Map.of("#state", "state"))).item();
        var seed = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(PK, s("BATCH#" + batchId), SK, s(MINT_SEED_SK)))).item();
        boolean complete = !"MINTING".equals(str(state, "state"));
        int written = state.containsKey("written") ? Integer.parseInt(state.get("written").n()) : (complete ? batch.get().quantity() : 0);
        boolean seedKept = seed != null && seed.containsKey("sealedSeed");
        return Optional.of(new MintProgress(batch.get(), complete, written, seedKept ? seed.get("sealedSeed").b().asByteArray() : null,
                seedKept ? Integer.parseInt(seed.get("sealVersion").n()) : 0));
    }

    @Override
    public WriteStats writeKeys(List<PrepaidKey> keys) {
        return writeInBulk(keys);
    }

    @Override
    public void recordMintProgress(String batchId, int written) {
        dynamo.updateItem(r -> r.tableName(table).key(Map.of(PK, s("BATCH#" + batchId), SK, s(BATCH_SK)))
                .updateExpression("SET written = :written").conditionExpression("#state = :minting")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":written", AttributeValue.fromN(Integer.toString(written)), ":minting", s("MINTING"))));
    }

    @Override
    public void completeMint(String batchId) {
        dynamo.updateItem(r -> r.tableName(table).key(Map.of(PK, s("BATCH#" + batchId), SK, s(BATCH_SK)))
                .updateExpression("SET #state = :complete").expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":complete", s("COMPLETE"))));
    }

    @Override
    public WriteStats importKeys(List<PrepaidKey> keys) {
        WriteStats written = writeInBulk(keys);
        Counters counters = new Counters();
        keys.forEach(key -> counters.move(null, key));
        counters.updates().forEach(update -> dynamo.updateItem(r -> r.tableName(table).key(update.key())
                .updateExpression(update.updateExpression()).expressionAttributeNames(update.expressionAttributeNames())
                .expressionAttributeValues(update.expressionAttributeValues())));
        return written;
    }

    /** BatchWriteItem of whole key items, 25 a request, 8 requests at a time, unprocessed items retried. */
    private WriteStats writeInBulk(List<PrepaidKey> keys) {
        long started = System.nanoTime();
        AtomicInteger requests = new AtomicInteger();
        DoubleAdder capacity = new DoubleAdder();
        List<List<WriteRequest>> chunks = new ArrayList<>();
        for (int i = 0; i < keys.size(); i += ITEMS_PER_BATCH_WRITE) {
            List<WriteRequest> chunk = new ArrayList<>();
            for (PrepaidKey key : keys.subList(i, Math.min(keys.size(), i + ITEMS_PER_BATCH_WRITE))) {
                chunk.add(WriteRequest.builder().putRequest(PutRequest.builder().item(KeyItems.item(key)).build()).build());
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
            throw new IllegalStateException("interrupted while writing keys", e);
        } finally {
            writers.shutdownNow();
        }
        return new WriteStats(keys.size(), requests.get(), capacity.sum(), (System.nanoTime() - started) / 1_000_000);
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
            if (response.hasConsumedCapacity()) {
                response.consumedCapacity().forEach(c -> capacity.add(c.capacityUnits() == null ? 0 : c.capacityUnits()));
            }
            pending = response.hasUnprocessedItems() ? response.unprocessedItems().getOrDefault(table, List.of()) : List.of();
        }
    }

    /** The ISSUED entry of a key's history, from its batch's provenance. */
    private static KeyEvent issuedEvent(String keyId, KeyBatch batch) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("batchId", batch.batchId());
        if (batch.note() != null) details.put("note", batch.note());
        return new KeyEvent(keyId, KeyEvent.Type.ISSUED, batch.createdAt(), batch.createdBySub(), batch.createdByUsername(), Map.copyOf(details));
    }

    // ---- writes: transitions -----------------------------------------------------------------

    @Override
    public void saveActivation(PrepaidKey activated, List<KeyEvent> events, ConfirmationEmail email, String heldReason, Instant now) {
        // The lifecycle rule itself: only an ISSUED, unexpired key can be activated, once.
        transition(null, activated, "#status = :was AND (attribute_not_exists(expiresAt) OR expiresAt > :now)",
                Map.of(":was", s(KeyStatus.ISSUED.name()), ":now", s(Timestamps.format(now))),
                with(events.stream().map(this::eventPut).toList(), emailPut(email, heldReason)));
    }

    @Override
    public void saveAssignment(PrepaidKey assigned, PrepaidKey before, KeyEvent event, Instant now) {
        transition(before, assigned,
                "#status = :was AND distributorId = :distributor AND (attribute_not_exists(expiresAt) OR expiresAt > :now)",
                Map.of(":was", s(KeyStatus.AVAILABLE.name()), ":distributor", s(assigned.distributorId()), ":now", s(Timestamps.format(now))),
                List.of(eventPut(event)));
    }

    @Override
    public void saveVoid(PrepaidKey before, PrepaidKey voided, KeyEvent event) {
        // Only what was read as voidable (ISSUED or AVAILABLE) is voided; a key used meanwhile stays used.
        transition(before, voided, "#status = :was", Map.of(":was", s(before.storedStatus().name())), List.of(eventPut(event)));
    }

    /**
     * Writes a key's new state as one transaction: the whole item of {@code after} on the condition
     * that the stored one still is as read, the items that go with the transition, and the moves of
     * the distributor's counters.
     *
     * @param before the key as read, or null when it held no counters yet (an ISSUED key)
     */
    private void transition(PrepaidKey before, PrepaidKey after, String condition, Map<String, AttributeValue> conditionValues,
                            List<Put> with) {
        Counters counters = new Counters();
        counters.move(before, after);
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(keyUpdate(after, condition, conditionValues)).build());
        with.forEach(put -> items.add(TransactWriteItem.builder().put(put).build()));
        counters.updates().forEach(update -> items.add(TransactWriteItem.builder().update(update).build()));
        transact(after.keyId(), items);
    }

    private Update keyUpdate(PrepaidKey after, String condition, Map<String, AttributeValue> conditionValues) {
        Map<String, AttributeValue> item = KeyItems.item(after);
        item.remove(PK);
        item.remove(SK);
        Map<String, String> names = new HashMap<>(Map.of("#status", "status"));
        Map<String, AttributeValue> values = new HashMap<>(conditionValues);
        List<String> sets = new ArrayList<>();
        int i = 0;
        for (var attribute : new TreeMap<>(item).entrySet()) {
            names.put("#a" + i, attribute.getKey());
            values.put(":a" + i, attribute.getValue());
            sets.add("#a" + i + " = :a" + i);
            i++;
        }
        return Update.builder().tableName(table).key(KeyItems.key(after.keyId()))
                .updateExpression("SET " + String.join(", ", sets)).conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values).build();
    }

    @Override
    public VoidTally voidBatch(String batchId, Voiding voiding) {
        List<PrepaidKey> voidable = new ArrayList<>();
        for (KeyStatus status : List.of(KeyStatus.ISSUED, KeyStatus.AVAILABLE)) voidable.addAll(readKeys(batchKeyIds(batchId, status)));
        int voided = 0;
        for (int i = 0; i < voidable.size(); i += KEYS_PER_VOID_TRANSACTION) {
            List<PrepaidKey> chunk = voidable.subList(i, Math.min(voidable.size(), i + KEYS_PER_VOID_TRANSACTION));
            Counters counters = new Counters();
            List<TransactWriteItem> items = new ArrayList<>();
            int inChunk = 0;
            for (PrepaidKey before : chunk) {
                if (before.storedStatus() != KeyStatus.ISSUED && before.storedStatus() != KeyStatus.AVAILABLE) continue;
                inChunk++;
                PrepaidKey after = before.voidWith(voiding);
                counters.move(before, after);
                items.add(TransactWriteItem.builder().update(keyUpdate(after, "#status = :was",
                        Map.of(":was", s(before.storedStatus().name())))).build());
                items.add(TransactWriteItem.builder().put(eventPut(KeyEvent.voided(before.keyId(), voiding, before.storedStatus()))).build());
            }
            if (items.isEmpty()) continue;
            counters.updates().forEach(update -> items.add(TransactWriteItem.builder().update(update).build()));
            try {
                transact(batchId, items);
                voided += inChunk;
            } catch (KeyChangedConcurrently someKeyMoved) {
                // A key of this chunk changed since it was read (confirmed, assigned): void the chunk one key at a time.
                for (PrepaidKey before : chunk) voided += voidOne(before.keyId(), voiding) ? 1 : 0;
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

    /** The ids of a batch's keys in one stored status (GSI2, keys only). */
    private List<String> batchKeyIds(String batchId, KeyStatus status) {
        List<String> ids = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(r -> r.tableName(table).indexName(GSI2)
                    .keyConditionExpression("#pk = :batch AND begins_with(#sk, :status)")
                    .expressionAttributeNames(Map.of("#pk", GSI2PK, "#sk", GSI2SK))
                    .expressionAttributeValues(Map.of(":batch", s("BATCH#" + batchId), ":status", s(status.name() + "#")))
                    .exclusiveStartKey(from));
            page.items().forEach(item -> ids.add(item.get(PK).s().substring("KEY#".length())));
            start = more(page);
        } while (start != null);
        return ids;
    }

    /** The keys themselves, strongly consistent (an index may lag a moment behind). */
    private List<PrepaidKey> readKeys(List<String> keyIds) {
        List<PrepaidKey> keys = new ArrayList<>();
        for (int i = 0; i < keyIds.size(); i += 100) {
            List<Map<String, AttributeValue>> wanted = keyIds.subList(i, Math.min(keyIds.size(), i + 100)).stream()
                    .map(KeyItems::key).toList();
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(wanted).consistentRead(true).build());
            for (int attempt = 0; request != null && !request.isEmpty(); attempt++) {
                if (attempt > 0) pause(Math.min(1000, 25L << attempt));
                Map<String, KeysAndAttributes> asking = request;
                var response = dynamo.batchGetItem(r -> r.requestItems(asking));
                response.responses().getOrDefault(table, List.of()).forEach(item -> keys.add(KeyItems.toKey(item)));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : null;
            }
        }
        return keys;
    }

    private Put eventPut(KeyEvent event) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(KeyItems.keyPk(event.keyId())));
        item.put(SK, s("EVENT#" + Timestamps.format(event.at()) + "#" + event.type().name()));
        item.put("type", s("EVENT"));
        item.put("eventType", s(event.type().name()));
        item.put("at", s(Timestamps.format(event.at())));
        if (event.actorSub() != null) item.put("actorSub", s(event.actorSub()));
        if (event.actorUsername() != null) item.put("actorUsername", s(event.actorUsername()));
        if (!event.details().isEmpty()) {
            Map<String, AttributeValue> details = new HashMap<>();
            event.details().forEach((name, value) -> details.put(name, s(value)));
            item.put("details", AttributeValue.fromM(details));
        }
        return Put.builder().tableName(table).item(item).conditionExpression("attribute_not_exists(PK)").build();
    }

    private static List<Put> with(List<Put> puts, Put more) {
        List<Put> all = new ArrayList<>(puts);
        all.add(more);
        return all;
    }

    /** @param heldReason null: PENDING, the notifier sends it; otherwise HELD with the reason, and nothing sends it */
    private Put emailPut(ConfirmationEmail email, String heldReason) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(KeyItems.keyPk(email.keyId())));
        item.put(SK, s(ACTIVATION_EMAIL_SK));
        item.put("type", s("EMAIL"));
        item.put("state", s(heldReason == null ? "PENDING" : "HELD"));
        if (heldReason != null) item.put("heldReason", s(heldReason));
        if (email.to() != null) item.put("to", s(email.to()));
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
                // Counters are shared by a distributor's transitions: concurrent ones can meet on them.
                boolean conflict = reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if (!conflict || attempt == CONFLICT_ATTEMPTS) throw e;
                pause(10L * attempt + (long) (Math.random() * 20));
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

    /**
     * The moves of a distributor's counters ({@link KeyItems#buckets}). Several keys' moves add up
     * into one update per counter item (a transaction may touch an item once).
     */
    private final class Counters {
        private final Map<String, Map<String, Map<String, Integer>>> deltas = new LinkedHashMap<>();

        void move(PrepaidKey before, PrepaidKey after) {
            if (before != null && before.distributorId() != null) add(before, -1);
            if (after.distributorId() != null) add(after, +1);
        }

        private void add(PrepaidKey key, int delta) {
            String pk = countersPk(key.distributorId());
            KeyItems.buckets(key).forEach((sk, bucket) -> deltas.computeIfAbsent(pk, p -> new LinkedHashMap<>())
                    .computeIfAbsent(sk, k -> new TreeMap<>()).merge(bucket, delta, Integer::sum));
        }

        List<Update> updates() {
            List<Update> updates = new ArrayList<>();
            deltas.forEach((pk, items) -> items.forEach((sk, buckets) -> {
                Map<String, String> names = new HashMap<>();
                Map<String, AttributeValue> values = new HashMap<>();
                List<String> adds = new ArrayList<>();
                int i = 0;
                for (var bucket : buckets.entrySet()) {
                    if (bucket.getValue() == 0) continue;
                    names.put("#c" + i, bucket.getKey());
                    values.put(":c" + i, AttributeValue.fromN(Integer.toString(bucket.getValue())));
                    adds.add("#c" + i + " :c" + i);
                    i++;
                }
                if (adds.isEmpty()) return;
                updates.add(Update.builder().tableName(table).key(Map.of(PK, s(pk), SK, s(sk)))
                        .updateExpression("ADD " + String.join(", ", adds))
                        .expressionAttributeNames(names).expressionAttributeValues(values).build());
            }));
            return updates;
        }
    }

    // ---- mapping -----------------------------------------------------------------------------

    static KeyEvent toEvent(String keyId, Map<String, AttributeValue> item) {
        Map<String, String> details = new LinkedHashMap<>();
        if (item.containsKey("details")) item.get("details").m().forEach((name, value) -> details.put(name, value.s()));
        return new KeyEvent(keyId, KeyEvent.Type.valueOf(str(item, "eventType")), KeyItems.instant(item, "at"), str(item, "actorSub"),
                str(item, "actorUsername"), Map.copyOf(details));
    }

    static Product toProduct(Map<String, AttributeValue> item) {
        return new Product(str(item, "sku"), str(item, "name"), str(item, "description"),
                Integer.parseInt(item.get("termMonths").n()),
                new License(str(item, "licenseVersion"), str(item, "licenseTitle"), str(item, "licenseUrl"),
                        str(item, "licenseText")));
    }
}
