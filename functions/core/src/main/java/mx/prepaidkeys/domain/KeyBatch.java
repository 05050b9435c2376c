package mx.prepaidkeys.domain;

import java.time.Instant;

/**
 * Keys minted together for one product, with their provenance: who minted them, when, why. All
 * keys of a batch share its expiry. Its provenance (who minted it, the note) is the back office's:
 * distributors never see it.
 *
 * @param expiresAt null when the keys never expire
 */
public record KeyBatch(String batchId, String productSku, String productName, int quantity, Instant expiresAt, String note,
                       Instant createdAt, String createdBySub, String createdByUsername) {
    public static final int MAX_QUANTITY = 5000;
    public static final int MAX_NOTE = 500;
}
