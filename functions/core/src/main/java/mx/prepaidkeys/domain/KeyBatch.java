package mx.prepaidkeys.domain;

import java.time.Instant;

/**
 * Keys minted together for one product, with their provenance: who minted them, when, why. All
 * keys of a batch share its expiry. Its provenance (who minted it, the note) is the back office's:
 * distributors never see it.
 *
 * @param expiresAt   null when the keys never expire
 * @param hashVersion the version of the secret its keys' ids were hashed under: a version can be retired once no batch of it has ISSUED keys
 */
public record KeyBatch(String batchId, String productSku, String productName, int quantity, Instant expiresAt, String note,
                       Instant createdAt, UserId createdBySub, String createdByUsername, int hashVersion) {
    public static final int MAX_QUANTITY = 5000;
    public static final int MAX_NOTE = 500;

    /** A batch whose keys were hashed under the first version of the secret. */
    public KeyBatch(String batchId, String productSku, String productName, int quantity, Instant expiresAt, String note,
                    Instant createdAt, UserId createdBySub, String createdByUsername) {
        this(batchId, productSku, productName, quantity, expiresAt, note, createdAt, createdBySub, createdByUsername, 1);
    }
}
