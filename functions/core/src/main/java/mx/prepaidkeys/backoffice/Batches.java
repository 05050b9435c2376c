package mx.prepaidkeys.backoffice;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
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
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.MintSeed;
import mx.prepaidkeys.domain.SecretKeys;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.domain.Voiding;
import mx.prepaidkeys.log.JsonLog;

/** Batches of keys: mint them (the plain keys leave the system once, in the answer), count them, void them. */
@Singleton
public class Batches {
    /** Keys written between two checks of the deadline and two records of progress: 8 BatchWriteItems of 25, side by side. */
    static final int WAVE = 200;
    /** As long as the sealed answer of the mint's Idempotency-Key: past it, nothing needs finishing. */
    static final java.time.Duration SEED_RETENTION = java.time.Duration.ofHours(24);
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

    public record MintedKey(KeyId keyId, String key) {}

    /** A batch with its keys counted by the status people see (EXPIRED once the batch's expiry passed). */
    public record Counted(KeyBatch batch, Map<KeyStatus, Integer> counts) {}

    /** A mint nobody will retry (demo data, benchmarks): a batch of its own, written in one go. */
    public Minted mint(BackOfficeUser admin, String productSku, int quantity, Instant expiresAt, String note) {
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        return mint(admin, productSku, quantity, expiresAt, note, Crockford.encode(id, 26), Instant.MAX);
    }

    /**
     * Mints a batch as one retriable operation. {@code mintId} names it (the API passes its
     * Idempotency-Key record): the batch id derives from it, so a retry of a mint cut off half way
     * (a timeout, a dead instance, a dependency down) finds the batch it started and finishes it with
     * the very same keys, drawn from the seed the batch keeps sealed, instead of leaving a half batch
     * and minting a second. Keys are written in waves; past {@code deadline} no new wave starts and
     * {@code MintIncomplete} says how far it got (the caller retries).
     */
    public Minted mint(BackOfficeUser admin, String productSku, int quantity, Instant expiresAt, String note, String mintId,
                       Instant deadline) {
        if (quantity < 1 || quantity > KeyBatch.MAX_QUANTITY) throw new IllegalArgumentException("quantity " + quantity);
        Product product = keys.findProduct(productSku).orElseThrow(() -> new DomainException(new DomainError.NotFound()));
        KeyHasher hashes = hasher.get();
        SecretKeys secrets = hashes.keys();
        String batchId = batchIdOf(mintId);
        Instant now = Timestamps.stored(clock.instant());
        KeyBatch batch = new KeyBatch(batchId, product.sku(), product.name(), quantity,
                expiresAt == null ? null : Timestamps.stored(expiresAt), note, now, admin.sub(), admin.username(), secrets.current());
        MintSeed seed = MintSeed.random();
        int written = 0;
        boolean resumed = false;
        try {
            keys.startMint(batch, seed.sealed(secrets, secrets.current(), batchId), secrets.current(), now, SEED_RETENTION);
        } catch (KeyRepository.MintAlreadyStarted retry) {
            var progress = keys.findMint(batchId).orElseThrow();
            if (progress.sealedSeed() == null) throw new IllegalStateException("batch " + batchId + " is older than its seed: not a retry");
            batch = progress.batch();
            seed = MintSeed.unseal(secrets, progress.sealVersion(), batchId, progress.sealedSeed());
            written = progress.complete() ? batch.quantity() : progress.written();
            resumed = true;
        }
        // Every key again from the seed: the answer lists them all; only those not in yet are written.
        List<PrepaidKey> records = new ArrayList<>(quantity);
        List<MintedKey> minted = new ArrayList<>(quantity);
        for (int i = 0; i < batch.quantity(); i++) {
            PrepaidKeyCode code = seed.key(i);
            KeyHasher.KeyHash hash = hashes.hash(code, batch.hashVersion());
            records.add(PrepaidKey.issued(hash.keyId(), code.masked(), product, batchId, batch.expiresAt(), hash.version()));
            minted.add(new MintedKey(hash.keyId(), code.formatted()));
        }
        KeyRepository.WriteStats stats = KeyRepository.WriteStats.NONE;
        for (int from = written; from < batch.quantity(); from += WAVE) {
            // one wave per call at least, so that every retry gets further
            if (from > written && clock.instant().isAfter(deadline)) {
                JsonLog.warn("batch_mint_incomplete", Map.of("batchId", batchId, "written", from, "quantity", batch.quantity()));
                throw new DomainException(new DomainError.MintIncomplete(batchId, from, batch.quantity()));
            }
            int to = Math.min(batch.quantity(), from + WAVE);
            stats = stats.plus(keys.writeKeys(records.subList(from, to)));
            keys.recordMintProgress(batchId, to);
        }
        if (written < batch.quantity() || !resumed) keys.completeMint(batchId);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("batchId", batchId);
        line.put("productSku", product.sku());
        line.put("quantity", batch.quantity());
        if (resumed) line.put("resumedAt", written);
        line.put("writeRequests", stats.requests());
        line.put("writeCapacityUnits", stats.capacityUnits());
        line.put("millis", stats.millis());
        JsonLog.info("batch_minted", line);
        return new Minted(batch, minted, stats);
    }

    /** A batch id named by its mint: 80 bits of SHA-256, so the same mint finds the same batch and two mints never meet. */
    static String batchIdOf(String mintId) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(("batch " + mintId).getBytes(StandardCharsets.UTF_8));
            return Crockford.encode(java.util.Arrays.copyOf(digest, 10), 16).toLowerCase(java.util.Locale.ROOT);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
