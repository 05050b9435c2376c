package mx.prepaidkeys.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The keys, products, history and emails owed of the use-case tests, in memory, with the
 * repository's own guarantee: every transition is conditional on what was read (a key that changed
 * since fails with {@link KeyChangedConcurrently}). {@link #beforeNextWrite} stages a concurrent
 * writer. What the use cases under test never call is refused.
 */
public final class InMemoryKeyRepository implements KeyRepository {
    private final Map<KeyId, PrepaidKey> keys = new ConcurrentHashMap<>();
    private final Map<String, Product> products = new LinkedHashMap<>();
    private final Map<String, KeyBatch> batches = new ConcurrentHashMap<>();
    public final List<KeyEvent> events = new CopyOnWriteArrayList<>();
    /** The emails owed, by key id, with their state (PENDING or HELD). */
    public final Map<KeyId, String> emails = new ConcurrentHashMap<>();
    public int writes;
    /** The client directory the assignments fill, in the same "transaction". */
    public final InMemoryClientDirectory clients = new InMemoryClientDirectory();
    private Runnable beforeNextWrite;

    /** Runs {@code meanwhile} just before the next write, as another request's write would land first. */
    public void beforeNextWrite(Runnable meanwhile) {
        this.beforeNextWrite = meanwhile;
    }

    /** Stores a batch as it is: the test's own setup (its keys with {@link #put}). */
    public void put(KeyBatch batch) {
        batches.put(batch.batchId(), batch);
    }

    /** Stores a key as it is, no condition: the test's own setup. */
    public void put(PrepaidKey key) {
        keys.put(key.keyId(), key);
    }

    private void meanwhile() {
        Runnable meanwhile = beforeNextWrite;
        beforeNextWrite = null;
        if (meanwhile != null) meanwhile.run();
    }

    private synchronized void written(KeyId keyId, KeyStatus expected, PrepaidKey after) {
        meanwhile();
        PrepaidKey stored = keys.get(keyId);
        if (stored == null || stored.storedStatus() != expected) throw new KeyChangedConcurrently(keyId.value());
        keys.put(keyId, after);
        writes++;
    }

    @Override
    public Optional<PrepaidKey> findKey(KeyId keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    @Override
    public Optional<PrepaidKey> findAnyKey(List<KeyId> keyIds) {
        return keyIds.stream().map(keys::get).filter(java.util.Objects::nonNull).findFirst();
    }

    @Override
    public Optional<KeyWithHistory> findKeyWithHistory(KeyId keyId) {
        return findKey(keyId).map(key -> new KeyWithHistory(key, events.stream().filter(e -> e.keyId().equals(keyId)).toList(),
                emails.get(keyId)));
    }

    @Override
    public Optional<Product> findProduct(String sku) {
        return Optional.ofNullable(products.get(sku));
    }

    @Override
    public List<Product> listProducts() {
        return new ArrayList<>(products.values());
    }

    @Override
    public boolean saveProduct(Product product) {
        return products.put(product.sku(), product) == null;
    }

    @Override
    public void saveActivation(PrepaidKey activated, List<KeyEvent> events, ConfirmationEmail email, String heldReason, Instant now) {
        written(activated.keyId(), KeyStatus.ISSUED, activated);
        this.events.addAll(events);
        emails.put(activated.keyId(), heldReason == null ? "PENDING" : "HELD");
    }

    @Override
    public void saveAssignment(PrepaidKey assigned, PrepaidKey before, KeyEvent event, List<DirectoryChange> directory, Instant now) {
        meanwhile();
        clients.check(directory);
        written(assigned.keyId(), KeyStatus.AVAILABLE, assigned);
        events.add(event);
        clients.apply(directory);
    }

    @Override
    public void saveReassignment(PrepaidKey reassigned, PrepaidKey before, KeyEvent event, List<DirectoryChange> directory) {
        meanwhile();
        clients.check(directory);
        written(reassigned.keyId(), KeyStatus.USED, reassigned);
        events.add(event);
        clients.apply(directory);
    }

    @Override
    public void saveVoid(PrepaidKey before, PrepaidKey voided, KeyEvent event) {
        written(voided.keyId(), before.storedStatus(), voided);
        events.add(event);
    }

    private static UnsupportedOperationException notHere() {
        return new UnsupportedOperationException("not called by the use cases tested in memory; the emulator tests cover it");
    }

    @Override
    public WriteStats saveBatch(KeyBatch batch, List<PrepaidKey> keys, Instant now) {
        throw notHere();
    }

    @Override
    public void startMint(KeyBatch batch, byte[] sealedSeed, int sealVersion, Instant now, Duration seedRetention) {
        throw notHere();
    }

    @Override
    public Optional<MintProgress> findMint(String batchId) {
        throw notHere();
    }

    @Override
    public WriteStats writeKeys(List<PrepaidKey> keys) {
        throw notHere();
    }

    @Override
    public void recordMintProgress(String batchId, int written) {
        throw notHere();
    }

    @Override
    public void completeMint(String batchId) {
        throw notHere();
    }

    @Override
    public WriteStats importKeys(List<PrepaidKey> keys) {
        throw notHere();
    }

    @Override
    public Optional<KeyBatch> findBatch(String batchId) {
        return Optional.ofNullable(batches.get(batchId));
    }

    @Override
    public Map<KeyStatus, Integer> countBatch(String batchId) {
        Map<KeyStatus, Integer> counts = new java.util.EnumMap<>(KeyStatus.class);
        keys.values().stream().filter(key -> batchId.equals(key.batchId())).forEach(key -> counts.merge(key.storedStatus(), 1, Integer::sum));
        return counts;
    }

    /** In key id order; the position is the last key id of the page. */
    @Override
    public KeyPage findForBackOffice(KeySearch search, int limit, String after, Instant now) {
        List<PrepaidKey> found = keys.values().stream().filter(key -> search.matches(key, now))
                .filter(key -> after == null || key.keyId().value().compareTo(after) > 0)
                .sorted(java.util.Comparator.comparing(key -> key.keyId().value())).toList();
        List<PrepaidKey> page = found.stream().limit(limit).toList();
        return new KeyPage(page, found.size() > limit ? page.getLast().keyId().value() : null);
    }

    /** Newest first; the position is the creation and id of the last batch of the page. */
    @Override
    public BatchPage listBatches(String productSku, int limit, String after) {
        java.util.function.Function<KeyBatch, String> position = batch -> batch.createdAt() + "#" + batch.batchId();
        List<KeyBatch> found = batches.values().stream().filter(batch -> productSku == null || productSku.equals(batch.productSku()))
                .filter(batch -> after == null || position.apply(batch).compareTo(after) < 0)
                .sorted(java.util.Comparator.comparing(position).reversed()).toList();
        List<KeyBatch> page = found.stream().limit(limit).toList();
        return new BatchPage(page, found.size() > limit ? position.apply(page.getLast()) : null);
    }

    @Override
    public VoidTally voidBatch(String batchId, Voiding voiding) {
        throw notHere();
    }

    @Override
    public KeyPage findByDistributor(DistributorId distributorId, KeyFilter filter, KeySort sort, int limit, String after, Instant now) {
        throw notHere();
    }

    @Override
    public int forEachByDistributor(DistributorId distributorId, KeyFilter filter, KeySort sort, Instant now, int max,
                                    java.util.function.Consumer<PrepaidKey> row) {
        throw notHere();
    }

    @Override
    public StatusCounts countByStatus(DistributorId distributorId, KeyFilter filter, Instant now) {
        throw notHere();
    }
}
