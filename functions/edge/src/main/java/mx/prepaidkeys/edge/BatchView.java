package mx.prepaidkeys.edge;

import io.micronaut.serde.annotation.Serdeable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.domain.KeyBatch;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.Timestamps;

/**
 * A batch for the back office: provenance (who minted it, by username), and either its plain keys
 * (once, when minted) or its counts by status.
 */
@Serdeable
public record BatchView(String batchId, KeyView.ProductRef product, int quantity, String expiresAt, String note, String createdAt,
                        String createdBy, Map<String, Integer> counts, List<MintedKeyView> keys) {

    @Serdeable
    public record MintedKeyView(String keyId, String key) {}

    public static BatchView of(KeyBatch batch, Map<KeyStatus, Integer> counts, List<MintedKeyView> keys) {
        Map<String, Integer> byName = null;
        if (counts != null) {
            byName = new LinkedHashMap<>();
            for (KeyStatus status : KeyStatus.values()) byName.put(status.name(), counts.getOrDefault(status, 0));
        }
        return new BatchView(batch.batchId(), new KeyView.ProductRef(batch.productSku(), batch.productName()), batch.quantity(),
                batch.expiresAt() == null ? null : Timestamps.format(batch.expiresAt()), batch.note(),
                Timestamps.format(batch.createdAt()), KeyView.actor(batch.createdByUsername(), batch.createdBySub()),
                byName, keys);
    }
}
