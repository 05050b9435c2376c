package mx.prepaidkeys.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Where keys and products live. One implementation owns the table layout: {@code DynamoKeyRepository}. */
public interface KeyRepository {

    Optional<PrepaidKey> findKey(String keyId);

    Optional<Product> findProduct(String sku);

    void saveProduct(Product product);

    /**
     * Stores freshly minted keys with their ISSUED history entries.
     *
     * @throws KeyChangedConcurrently when a key id already exists (nothing of that key is written)
     */
    void issue(List<PrepaidKey> keys, Instant now);

    /**
     * Makes an activation stick: the key moves ISSUED -> AVAILABLE only if it is still ISSUED and
     * unexpired at {@code now}, and in the same transaction its history entry and the confirmation
     * email it owes are recorded.
     *
     * @throws KeyChangedConcurrently when the key is no longer ISSUED (another request won)
     */
    void saveActivation(PrepaidKey activated, KeyEvent event, ConfirmationEmail email, Instant now);

    /** Records that the activation's email left; a second call for the same key changes nothing. */
    void markEmailSent(String keyId, String messageId, Instant at);

    /**
     * A distributor's keys with the given statuses, newest activation first.
     *
     * @param after the {@link KeyPage#nextPosition()} of the previous page, or null for the first
     */
    KeyPage findByDistributor(String distributorId, Set<KeyStatus> statuses, int limit, String after, Instant now);

    /** A page of keys and where the next one starts (null at the end). */
    record KeyPage(List<PrepaidKey> items, String nextPosition) {}

    /** A conditional write lost: the key is not in the state the decision was made on. */
    final class KeyChangedConcurrently extends RuntimeException {
        public KeyChangedConcurrently(String keyId) {
            super("key " + keyId + " changed concurrently", null, false, false);
        }
    }
}
