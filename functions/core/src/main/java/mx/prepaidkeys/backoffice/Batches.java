package mx.prepaidkeys.backoffice;

import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.domain.BackOfficeUser;
import mx.prepaidkeys.domain.Crockford;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.KeyBatch;
import mx.prepaidkeys.domain.KeyHasher;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.domain.Voiding;
import mx.prepaidkeys.log.JsonLog;

/** Batches of keys: mint them (the plain keys leave the system once, in the answer), count them, void them. */
@Singleton
public class Batches {
    private final KeyRepository keys;
    /** Asked for only when minting: reading and voiding batches never hash, and their roles may not read the pepper. */
    private final jakarta.inject.Provider<KeyHasher> hasher;
    private final Clock clock;

    public Batches(KeyRepository keys, jakarta.inject.Provider<KeyHasher> hasher, Clock clock) {
        this.keys = keys;
        this.hasher = hasher;
        this.clock = clock;
    }

    public record Minted(KeyBatch batch, List<MintedKey> keys, KeyRepository.WriteStats stats) {}

    public record MintedKey(String keyId, String key) {}

    /** A batch with its keys counted by the status people see (EXPIRED once the batch's expiry passed). */
    public record Counted(KeyBatch batch, Map<KeyStatus, Integer> counts) {}

    public Minted mint(BackOfficeUser admin, String productSku, int quantity, Instant expiresAt, String note) {
        if (quantity < 1 || quantity > KeyBatch.MAX_QUANTITY) throw new IllegalArgumentException("quantity " + quantity);
        Product product = keys.findProduct(productSku).orElseThrow(() -> new DomainException(new DomainError.NotFound()));
        Instant now = Timestamps.stored(clock.instant());
        // A fresh SecureRandom per batch: never a generator state shared by restored SnapStart copies.
        SecureRandom random = new SecureRandom();
        byte[] id = new byte[10];
        random.nextBytes(id);
        KeyBatch batch = new KeyBatch(Crockford.encode(id, 16).toLowerCase(), product.sku(), product.name(), quantity,
                expiresAt == null ? null : Timestamps.stored(expiresAt), note, now, admin.sub(), admin.username(),
                hasher.get().keys().current());
        List<PrepaidKey> records = new ArrayList<>(quantity);
        List<MintedKey> minted = new ArrayList<>(quantity);
        for (int i = 0; i < quantity; i++) {
            PrepaidKeyCode code = PrepaidKeyCode.generate(random);
            KeyHasher.KeyHash hash = hasher.get().hash(code);
            String keyId = hash.keyId();
            records.add(PrepaidKey.issued(keyId, code.masked(), product, batch.batchId(), batch.expiresAt(), hash.version()));
            minted.add(new MintedKey(keyId, code.formatted()));
        }
        KeyRepository.WriteStats stats = keys.saveBatch(batch, records, now);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("batchId", batch.batchId());
        line.put("productSku", product.sku());
        line.put("quantity", quantity);
        line.put("writeRequests", stats.requests());
        line.put("writeCapacityUnits", stats.capacityUnits());
        line.put("millis", stats.millis());
        JsonLog.info("batch_minted", line);
        return new Minted(batch, minted, stats);
    }

    public Counted counted(String batchId) {
        KeyBatch batch = find(batchId);
        Map<KeyStatus, Integer> stored = keys.countBatch(batchId);
        Map<KeyStatus, Integer> counts = new EnumMap<>(KeyStatus.class);
        for (KeyStatus status : KeyStatus.values()) counts.put(status, 0);
        boolean expired = batch.expiresAt() != null && !clock.instant().isBefore(batch.expiresAt());
        stored.forEach((status, count) -> {
            boolean redeemable = status == KeyStatus.ISSUED || status == KeyStatus.AVAILABLE;
            counts.merge(redeemable && expired ? KeyStatus.EXPIRED : status, count, Integer::sum);
        });
        return new Counted(batch, counts);
    }

    /** Voids every key of the batch still ISSUED or AVAILABLE; used keys stay with their clients. */
    public KeyRepository.VoidTally voidAll(BackOfficeUser admin, String batchId, String reason) {
        find(batchId);
        return keys.voidBatch(batchId, new Voiding(reason, Timestamps.stored(clock.instant()), admin.sub(), admin.username()));
    }

    private KeyBatch find(String batchId) {
        return keys.findBatch(batchId).orElseThrow(() -> new DomainException(new DomainError.NotFound()));
    }
}
