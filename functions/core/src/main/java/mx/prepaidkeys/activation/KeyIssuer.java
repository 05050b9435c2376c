package mx.prepaidkeys.activation;

import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mx.prepaidkeys.domain.KeyHasher;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.domain.Product;

/**
 * Mints keys through the domain: random codes, stored only as hash and mask. The admin batch API
 * builds on it; tests and the local stack's seed use it today.
 */
@Singleton
public class KeyIssuer {
    private final KeyRepository keys;
    private final KeyHasher hasher;
    private final Clock clock;

    public KeyIssuer(KeyRepository keys, KeyHasher hasher, Clock clock) {
        this.keys = keys;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** Mints {@code quantity} new keys; the plain codes are returned once and kept nowhere. */
    public List<IssuedKey> mint(Product product, int quantity, String batchId, Instant expiresAt) {
        // A fresh SecureRandom per call: never a generator state shared by restored SnapStart copies.
        SecureRandom random = new SecureRandom();
        List<PrepaidKeyCode> codes = new ArrayList<>(quantity);
        for (int i = 0; i < quantity; i++) codes.add(PrepaidKeyCode.generate(random));
        return store(product, codes, batchId, expiresAt);
    }

    /** Stores given codes (demo data with known keys, sample events): same path as minting. */
    public List<IssuedKey> store(Product product, List<PrepaidKeyCode> codes, String batchId, Instant expiresAt) {
        List<IssuedKey> issued = new ArrayList<>(codes.size());
        List<PrepaidKey> records = new ArrayList<>(codes.size());
        for (PrepaidKeyCode code : codes) {
            PrepaidKey key = PrepaidKey.issued(hasher.hash(code).keyId(), code.masked(), product, batchId, expiresAt);
            records.add(key);
            issued.add(new IssuedKey(key.keyId(), code));
        }
        keys.issue(records, clock.instant());
        return issued;
    }

    public record IssuedKey(String keyId, PrepaidKeyCode code) {}
}
