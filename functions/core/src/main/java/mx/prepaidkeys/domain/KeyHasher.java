package mx.prepaidkeys.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of a key under the key-hash key derived from the secret ({@link SecretKeys}). The
 * table holds this hash, never the key: a copy of the table without the secret gives nobody a
 * usable key. New keys are hashed under the current version of the secret; a typed key is looked
 * up under every version still listed, so keys minted before a rotation are found.
 */
public final class KeyHasher {
    /** A pepper shorter than this is a configuration mistake, not a secret. */
    public static final int MIN_PEPPER_BYTES = SecretKeys.MIN_SECRET_BYTES;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeys keys;
    private final Map<Integer, Mac> prototypes = new java.util.HashMap<>();

    /** One secret, version 1 (tools and tests that have the plain pepper). */
    public KeyHasher(byte[] pepper) {
        this(SecretKeys.single(pepper));
    }

    public KeyHasher(SecretKeys keys) {
        this.keys = keys;
        try {
            for (int version : keys.versions()) {
                Mac mac = Mac.getInstance(ALGORITHM);
                mac.init(new SecretKeySpec(keys.key(SecretKeys.Purpose.KEY_HASH, version), ALGORITHM));
                prototypes.put(version, mac);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The secret's versions and the other keys derived from it. */
    public SecretKeys keys() {
        return keys;
    }

    /** The hash a key is stored under when minted now: the current version's. */
    public KeyHash hash(PrepaidKeyCode code) {
        return hash(code, keys.current());
    }

    /** The hashes a typed key may be stored under, the current version's first. */
    public List<KeyHash> candidates(PrepaidKeyCode code) {
        List<KeyHash> hashes = new ArrayList<>();
        for (int version : keys.versions()) hashes.add(hash(code, version));
        return hashes;
    }

    /** The hash under a given version: a mint resumed after a rotation keeps its batch's version. */
    public KeyHash hash(PrepaidKeyCode code, int version) {
        try {
            // Mac is not thread-safe; a clone of an initialised prototype avoids re-running the key schedule.
            Mac mac = (Mac) prototypes.get(version).clone();
            return new KeyHash(mac.doFinal(code.canonical().getBytes(StandardCharsets.US_ASCII)), version);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the HmacSHA256 provider cannot clone a Mac", e);
        }
    }

    /** The keyed hash of one key, the version of the secret it was made with, and the public id derived from it. */
    public record KeyHash(byte[] bytes, int version) {
        /** Base64url of the 32-byte hash, as stored in the table. */
        public String value() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }

        /**
         * The key's id in URLs and in the table's partition key: 128 bits of the hash in lowercase
         * base32. It names the row without revealing the key, and needs no second look-up item.
         */
        public KeyId keyId() {
            return new KeyId(Crockford.encode(java.util.Arrays.copyOf(bytes, 16), 26).toLowerCase(java.util.Locale.ROOT));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof KeyHash hash && hash.version == version && java.security.MessageDigest.isEqual(hash.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "KeyHash[" + keyId().value() + ", v" + version + "]";
        }
    }
}
