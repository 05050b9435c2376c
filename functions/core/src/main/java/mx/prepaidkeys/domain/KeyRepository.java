package mx.prepaidkeys.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where keys, batches and products live. One implementation owns the table layout: {@code DynamoKeyRepository}. */
public interface KeyRepository {

    Optional<PrepaidKey> findKey(KeyId keyId);

    /**
     * The one key stored under any of these ids (a typed key's ids under each version of the
     * secret), read strongly consistent in one request; empty when none is.
     */
    Optional<PrepaidKey> findAnyKey(List<KeyId> keyIds);

    /** A key with its history, oldest event first; the first, ISSUED, comes from the key's batch. */
    Optional<KeyWithHistory> findKeyWithHistory(KeyId keyId);

    Optional<Product> findProduct(String sku);

    List<Product> listProducts();

    /**
     * Creates or updates a product; its licence version is kept as published.
     *
     * @return true when the product is new
     * @throws DomainException {@code LicenseVersionImmutable} when the version exists with other content
     */
    boolean saveProduct(Product product);

    /** Stores a batch and its keys in bulk (batched writes, retried until every item is in): demo data and benchmarks. */
    WriteStats saveBatch(KeyBatch batch, List<PrepaidKey> keys, Instant now);

    /**
     * Opens a mint: the batch, MINTING, with none of its keys written yet, and the sealed seed its
     * keys are drawn from, kept for {@code seedRetention} in case the mint needs finishing.
     *
     * @throws MintAlreadyStarted when the batch exists: a retry finds it with {@link #findMint}
     */
    void startMint(KeyBatch batch, byte[] sealedSeed, int sealVersion, Instant now, java.time.Duration seedRetention);

    /** A mint as a retry finds it: how far it got, and its sealed seed (absent once the seed expired). */
    Optional<MintProgress> findMint(String batchId);

    /** Writes keys of a mint in bulk (the same key written twice is the same item). */
    WriteStats writeKeys(List<PrepaidKey> keys);

    /** Records that the batch's first {@code written} keys are in. */
    void recordMintProgress(String batchId, int written);

    /** The batch is whole: it stops reading MINTING. */
    void completeMint(String batchId);

    /**
     * Writes keys in whatever state they are, in bulk, and adds them to their distributors' counters:
     * for benchmarks and migrations of keys from another system. No history entries are written.
     */
    WriteStats importKeys(List<PrepaidKey> keys);

    Optional<KeyBatch> findBatch(String batchId);

    /** How many keys of the batch are in each stored status. */
    Map<KeyStatus, Integer> countBatch(String batchId);

    /**
     * Voids every key of the batch still ISSUED or AVAILABLE, each with its history entry.
     *
     * @return what happened to the batch's keys
     */
    VoidTally voidBatch(String batchId, Voiding voiding);

    /**
     * Makes an activation stick: the key moves ISSUED -> AVAILABLE only if it is still ISSUED and
     * unexpired at {@code now}, and in the same transaction its history entries and the confirmation
     * email it owes are recorded.
     *
     * @param heldReason null when the email is owed now (PENDING); otherwise why it waits (HELD) until the back office releases it
     * @throws KeyChangedConcurrently when the key is no longer ISSUED (another request won)
     */
    void saveActivation(PrepaidKey activated, List<KeyEvent> events, ConfirmationEmail email, String heldReason, Instant now);

    /**
     * AVAILABLE -> USED, only if the key is still AVAILABLE for the same distributor and unexpired;
     * the client directory changes in the same transaction.
     *
     * @throws KeyChangedConcurrently when the key is not, or the client directory is not as read
     */
    void saveAssignment(PrepaidKey assigned, PrepaidKey before, KeyEvent event, List<DirectoryChange> directory, Instant now);

    /**
     * USED -> USED by another client, only if the key is still assigned as read; the REASSIGNED
     * entry and the directory's counts in the same transaction.
     *
     * @throws KeyChangedConcurrently when the key is not, or the client directory is not as read
     */
    void saveReassignment(PrepaidKey reassigned, PrepaidKey before, KeyEvent event, List<DirectoryChange> directory);

    /**
     * ISSUED or AVAILABLE -> VOID, only if the key is still in the status {@code before} had.
     *
     * @throws KeyChangedConcurrently when it is not
     */
    void saveVoid(PrepaidKey before, PrepaidKey voided, KeyEvent event);

    /**
     * A page of a distributor's keys that match a filter, in an order.
     *
     * @param after the {@link KeyPage#nextPosition()} of the previous page, or null for the first
     */
    KeyPage findByDistributor(DistributorId distributorId, KeyFilter filter, KeySort sort, int limit, String after, Instant now);

    /** Every matching key in order, up to {@code max}, page after page (exports); returns how many. */
    int forEachByDistributor(DistributorId distributorId, KeyFilter filter, KeySort sort, Instant now, int max,
                             java.util.function.Consumer<PrepaidKey> row);

    /** How many of a distributor's keys match a filter, by status (the filter's statuses ignored). */
    StatusCounts countByStatus(DistributorId distributorId, KeyFilter filter, Instant now);

    /**
     * A page of any keys a back-office search matches, in the order of the index its lead reads
     * (docs/data-model.md, "How the back office finds keys").
     *
     * @param after the {@link KeyPage#nextPosition()} of the previous page, or null for the first
     */
    KeyPage findForBackOffice(KeySearch search, int limit, String after, Instant now);

    /**
     * A page of batches, newest first.
     *
     * @param productSku null for every product
     * @param after      the {@link BatchPage#nextPosition()} of the previous page, or null for the first
     */
    BatchPage listBatches(String productSku, int limit, String after);

    /** A page of batches and where the next one starts (null at the end). */
    record BatchPage(List<KeyBatch> batches, String nextPosition) {}

    /**
     * A page of keys and where the next one starts (null at the end). A page can be short, even
     * empty, when a filter kept few of the keys one request may read: follow the position.
     */
    record KeyPage(List<PrepaidKey> items, String nextPosition) {}

    /**
     * A key and its history, oldest first; {@code emailState} once activated: PENDING, SENDING, SENT,
     * FAILED, or HELD (waiting for the back office to release it).
     */
    record KeyWithHistory(PrepaidKey key, List<KeyEvent> events, String emailState) {}

    /** What a bulk write cost: requests sent (retries included) and write capacity consumed. */
    record WriteStats(int items, int requests, double capacityUnits, long millis) {
        public static final WriteStats NONE = new WriteStats(0, 0, 0, 0);

        public WriteStats plus(WriteStats other) {
            return new WriteStats(items + other.items, requests + other.requests, capacityUnits + other.capacityUnits, millis + other.millis);
        }
    }

    /**
     * @param complete   the batch stopped reading MINTING
     * @param written    how many of its keys, counted from the first, are in
     * @param sealedSeed null once the seed expired
     */
    record MintProgress(KeyBatch batch, boolean complete, int written, byte[] sealedSeed, int sealVersion) {}

    /** The batch of a mint exists already: a retry, or a twin of it. */
    final class MintAlreadyStarted extends RuntimeException {
        public MintAlreadyStarted(String batchId) {
            super("batch " + batchId + " exists", null, false, false);
        }
    }

    /** A batch void: keys voided now, already void before, and used ones left with their clients. */
    record VoidTally(int voided, int alreadyVoid, int used) {}

    /** A conditional write lost: the key is not in the state the decision was made on. */
    final class KeyChangedConcurrently extends RuntimeException {
        public KeyChangedConcurrently(String keyId) {
            super("key " + keyId + " changed concurrently", null, false, false);
        }
    }
}
