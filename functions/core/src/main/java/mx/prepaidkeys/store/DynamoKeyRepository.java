package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyItems.s;
import static mx.prepaidkeys.store.KeyItems.str;
import static mx.prepaidkeys.store.KeyTable.GSI2;
import static mx.prepaidkeys.store.KeyTable.GSI2PK;
import static mx.prepaidkeys.store.KeyTable.GSI2SK;
import static mx.prepaidkeys.store.KeyTable.PK;
import static mx.prepaidkeys.store.KeyTable.SK;

import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.domain.ConfirmationEmail;
import mx.prepaidkeys.domain.DirectoryChange;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.KeyBatch;
import mx.prepaidkeys.domain.KeyEvent;
import mx.prepaidkeys.domain.KeyFilter;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.KeySearch;
import mx.prepaidkeys.domain.KeySort;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.domain.StatusCounts;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.domain.Voiding;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The table's layout in use (docs/data-model.md): item shapes ({@link KeyItems}), the list's queries
 * ({@link KeyQueries}), and the writes, whose conditions encode the key lifecycle. Every read is a
 * GetItem, a BatchGetItem or a Query; every state change is one conditional write or one
 * transaction, which also moves the distributor's counters.
 */
@Singleton
public class DynamoKeyRepository implements KeyRepository {
    private static final String BATCH_SK = "BATCH";
    /** Beside its batch while a mint may need finishing: the sealed seed its keys are drawn from. */
    private static final String MINT_SEED_SK = "MINT#SEED";
    /** A void transaction holds 2 items per key and up to 2 counter items per key: 20 keys stay within 100. */
    private static final int KEYS_PER_VOID_TRANSACTION = 20;

    private final DynamoDbClient dynamo;
    private final String table;
    private final DistributorCounters counters;
    private final KeyQueries queries;
    private final DynamoProducts products;
    private final BulkWrites bulk;
    private final BackOfficeQueries backOffice;
    private final DynamoClientDirectory clients;

    public DynamoKeyRepository(DynamoDbClient dynamo, ServiceSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.tableName();
        this.counters = new DistributorCounters(dynamo, table);
        this.queries = new KeyQueries(dynamo, table, counters);
        this.products = new DynamoProducts(dynamo, table);
        this.bulk = new BulkWrites(dynamo, table);
        this.backOffice = new BackOfficeQueries(dynamo, table, queries);
        this.clients = new DynamoClientDirectory(dynamo, settings);
    }

    // ---- reads -------------------------------------------------------------------------------

    @Override
    public Optional<PrepaidKey> findKey(KeyId keyId) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(KeyItems.key(keyId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(KeyItems.toKey(item));
    }

    @Override
    public Optional<PrepaidKey> findAnyKey(List<KeyId> keyIds) {
        if (keyIds.size() == 1) return findKey(keyIds.getFirst());
        List<PrepaidKey> found = readKeys(keyIds);
        // Ids are 128-bit hashes under different keys: two versions never name two stored keys.
        return found.stream().findFirst();
    }

    @Override
    public Optional<KeyWithHistory> findKeyWithHistory(KeyId keyId) {
        PrepaidKey key = null;
        List<KeyEvent> events = new ArrayList<>();
        String emailState = null;
        for (var item : queryPartition(KeyItems.keyPk(keyId))) {
            String sk = item.get(SK).s();
            if (sk.equals(KeyItems.KEY_SK)) key = KeyItems.toKey(item);
            else if (sk.startsWith("EVENT#")) events.add(KeyItems.toEvent(keyId, item));
            else if (sk.equals(DynamoEmailOutbox.SK_VALUE)) emailState = str(item, "state");
        }
        if (key == null) return Optional.empty();
        if (key.batchId() != null) findBatch(key.batchId()).ifPresent(batch -> events.addFirst(issuedEvent(keyId, batch)));
        return Optional.of(new KeyWithHistory(key, List.copyOf(events), emailState));
    }

    private List<Map<String, AttributeValue>> queryPartition(String pk) {
        return Pages.items(dynamo, QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", PK))
                .expressionAttributeValues(Map.of(":pk", s(pk))).build());
    }

    @Override
    public Optional<Product> findProduct(String sku) {
        return products.find(sku);
    }

    @Override
    public List<Product> listProducts() {
        return products.list();
    }

    @Override
    public Optional<KeyBatch> findBatch(String batchId) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(PK, s("BATCH#" + batchId), SK, s(BATCH_SK)))).item();
        if (item == null || item.isEmpty()) return Optional.empty();
        return Optional.of(KeyItems.toBatch(item));
    }

    @Override
    public Map<KeyStatus, Integer> countBatch(String batchId) {
        Map<KeyStatus, Integer> counts = new EnumMap<>(KeyStatus.class);
        for (KeyStatus status : EnumSet.of(KeyStatus.ISSUED, KeyStatus.AVAILABLE, KeyStatus.USED, KeyStatus.VOID)) {
            counts.put(status, Pages.count(dynamo, batchQuery(batchId, status).select(Select.COUNT).build()));
        }
        return counts;
    }

    /** A batch's keys in one stored status ({@code GSI2}, keys only). */
    private QueryRequest.Builder batchQuery(String batchId, KeyStatus status) {
        return QueryRequest.builder().tableName(table).indexName(GSI2)
                .keyConditionExpression("#pk = :batch AND begins_with(#sk, :status)")
                .expressionAttributeNames(Map.of("#pk", GSI2PK, "#sk", GSI2SK))
                .expressionAttributeValues(Map.of(":batch", s("BATCH#" + batchId), ":status", s(status.name() + "#")));
    }

    @Override
    public KeyPage findByDistributor(DistributorId distributorId, KeyFilter filter, KeySort sort, int limit, String after, Instant now) {
        return queries.page(distributorId, filter, sort, limit, after, now);
    }

    @Override
    public KeyPage findForBackOffice(KeySearch search, int limit, String after, Instant now) {
        return backOffice.find(search, limit, after, now);
    }

    @Override
    public BatchPage listBatches(String productSku, int limit, String after) {
        return backOffice.batches(productSku, limit, after);
    }

    @Override
    public int forEachByDistributor(DistributorId distributorId, KeyFilter filter, KeySort sort, Instant now, int max,
                                    java.util.function.Consumer<PrepaidKey> row) {
        return queries.each(distributorId, filter, sort, now, max, row);
    }

    @Override
    public StatusCounts countByStatus(DistributorId distributorId, KeyFilter filter, Instant now) {
        return queries.counts(distributorId, filter, now);
    }

    // ---- writes: catalogue -------------------------------------------------------------------

    @Override
    public boolean saveProduct(Product product) {
        return products.save(product);
    }

    // ---- writes: bulk ------------------------------------------------------------------------

    @Override
    public WriteStats saveBatch(KeyBatch batch, List<PrepaidKey> keys, Instant now) {
        long started = System.nanoTime();
        Map<String, AttributeValue> item = batchItem(batch);
        dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(PK)"));
        // No history item per key: the batch item is the ISSUED entry of all its keys (findKeyWithHistory).
        WriteStats written = bulk.keys(keys);
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
        item.put("createdBySub", s(batch.createdBySub().value()));
        if (batch.createdByUsername() != null) item.put("createdByUsername", s(batch.createdByUsername()));
        item.put("hashVersion", AttributeValue.fromN(Integer.toString(batch.hashVersion())));
        item.put("state", s("MINTING"));
        item.putAll(KeyItems.batchIndexEntries(batch.batchId(), Timestamps.format(batch.createdAt()), batch.productSku()));
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
        } catch (TransactionCanceledException exists) {
            if (Transactions.conditionFailed(exists)) throw new MintAlreadyStarted(batch.batchId());
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
        return bulk.keys(keys);
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
        WriteStats written = bulk.keys(keys);
        DistributorCounters.Moves moves = counters.moves();
        keys.forEach(key -> moves.move(null, key));
        moves.apply();
        return written;
    }

    /** The ISSUED entry of a key's history, from its batch's provenance. */
    private static KeyEvent issuedEvent(KeyId keyId, KeyBatch batch) {
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
    public void saveAssignment(PrepaidKey assigned, PrepaidKey before, KeyEvent event, List<DirectoryChange> directory, Instant now) {
        transition(before, assigned,
                "#status = :was AND distributorId = :distributor AND (attribute_not_exists(expiresAt) OR expiresAt > :now)",
                Map.of(":was", s(KeyStatus.AVAILABLE.name()), ":distributor", s(assigned.distributorId().value()), ":now", s(Timestamps.format(now))),
                List.of(eventPut(event)), clients.writes(directory));
    }

    @Override
    public void saveReassignment(PrepaidKey reassigned, PrepaidKey before, KeyEvent event, List<DirectoryChange> directory) {
        // Still USED by the client the correction was decided on, and still within its window (the assignment time as read).
        transition(before, reassigned, "#status = :was AND distributorId = :distributor AND clientRfc = :rfc AND assignedAt = :at",
                Map.of(":was", s(KeyStatus.USED.name()), ":distributor", s(reassigned.distributorId().value()),
                        ":rfc", s(before.assignment().client().rfc()), ":at", s(Timestamps.format(before.assignment().assignedAt()))),
                List.of(eventPut(event)), clients.writes(directory));
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
        transition(before, after, condition, conditionValues, with, List.of());
    }

    /** @param also further writes of the same transaction (the client directory's) */
    private void transition(PrepaidKey before, PrepaidKey after, String condition, Map<String, AttributeValue> conditionValues,
                            List<Put> with, List<TransactWriteItem> also) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(keyUpdate(after, condition, conditionValues)).build());
        with.forEach(put -> items.add(TransactWriteItem.builder().put(put).build()));
        items.addAll(also);
        counters.moves().move(before, after).updates().forEach(update -> items.add(TransactWriteItem.builder().update(update).build()));
        Transactions.write(dynamo, after.keyId().value(), items);
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
            DistributorCounters.Moves moves = counters.moves();
            List<TransactWriteItem> items = new ArrayList<>();
            int inChunk = 0;
            for (PrepaidKey before : chunk) {
                if (before.storedStatus() != KeyStatus.ISSUED && before.storedStatus() != KeyStatus.AVAILABLE) continue;
                inChunk++;
                PrepaidKey after = before.voidWith(voiding);
                moves.move(before, after);
                items.add(TransactWriteItem.builder().update(keyUpdate(after, "#status = :was",
                        Map.of(":was", s(before.storedStatus().name())))).build());
                items.add(TransactWriteItem.builder().put(eventPut(KeyEvent.voided(before.keyId(), voiding, before.storedStatus()))).build());
            }
            if (items.isEmpty()) continue;
            moves.updates().forEach(update -> items.add(TransactWriteItem.builder().update(update).build()));
            try {
                Transactions.write(dynamo, batchId, items);
                voided += inChunk;
            } catch (KeyChangedConcurrently someKeyMoved) {
                // A key of this chunk changed since it was read (confirmed, assigned): void the chunk one key at a time.
                for (PrepaidKey before : chunk) voided += voidOne(before.keyId(), voiding) ? 1 : 0;
            }
        }
        Map<KeyStatus, Integer> counts = countBatch(batchId);
        return new VoidTally(voided, counts.get(KeyStatus.VOID) - voided, counts.get(KeyStatus.USED));
    }

    private boolean voidOne(KeyId keyId, Voiding voiding) {
        PrepaidKey before = findKey(keyId).orElseThrow();
        if (before.storedStatus() != KeyStatus.ISSUED && before.storedStatus() != KeyStatus.AVAILABLE) return false;
        saveVoid(before, before.voidWith(voiding), KeyEvent.voided(keyId, voiding, before.storedStatus()));
        return true;
    }

    /** The ids of a batch's keys in one stored status. */
    private List<KeyId> batchKeyIds(String batchId, KeyStatus status) {
        return Pages.items(dynamo, batchQuery(batchId, status).build()).stream()
                .map(KeyItems::keyIdOf).toList();
    }

    /** The keys themselves, strongly consistent (an index may lag a moment behind). */
    private List<PrepaidKey> readKeys(List<KeyId> keyIds) {
        return KeyReads.read(dynamo, table, keyIds, true);
    }

    private Put eventPut(KeyEvent event) {
        return Put.builder().tableName(table).item(KeyItems.eventItem(event)).conditionExpression("attribute_not_exists(PK)").build();
    }

    private static List<Put> with(List<Put> puts, Put more) {
        List<Put> all = new ArrayList<>(puts);
        all.add(more);
        return all;
    }

    /** @param heldReason null: PENDING, the notifier sends it; otherwise HELD with the reason, and nothing sends it */
    private Put emailPut(ConfirmationEmail email, String heldReason) {
        // One email per activation, ever: the item exists once per key.
        return Put.builder().tableName(table).item(KeyItems.emailItem(email, heldReason == null ? "PENDING" : "HELD", heldReason))
                .conditionExpression("attribute_not_exists(PK)").build();
    }

}
