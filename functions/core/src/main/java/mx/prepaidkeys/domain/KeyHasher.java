package mx.prepaidkeys.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of a key under the secret pepper. The table holds this hash, never the key: a copy of
 * the table without the pepper gives nobody a usable key.
 */
public final class KeyHasher {
    /** A pepper shorter than this is a configuration mistake, not a secret. */
    public static final int MIN_PEPPER_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final Mac prototype;

    public KeyHasher(byte[] pepper) {
        if (pepper == null || pepper.length < MIN_PEPPER_BYTES) {
            throw new IllegalArgumentException("the key pepper must be at least " + MIN_PEPPER_BYTES + " bytes");
        }
        try {
            prototype = Mac.getInstance(ALGORITHM);
            prototype.init(new SecretKeySpec(pepper, ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public KeyHash hash(PrepaidKeyCode code) {
        return new KeyHash(mac(code.canonical().getBytes(StandardCharsets.US_ASCII)));
    }

    /** A key derived from the pepper for another purpose (signing list cursors), never the pepper itself. */
    public byte[] derive(String purpose) {
        return mac(("derive:" + purpose).getBytes(StandardCharsets.UTF_8));
    }

    private byte[] mac(byte[] input) {
        try {
            // Mac is not thread-safe; a clone of an initialised prototype avoids re-running the key schedule.
            Mac mac = (Mac) prototype.clone();
            return mac.doFinal(input);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the HmacSHA256 provider cannot clone a Mac", e);
        }
    }

    /** The keyed hash of one key, and the public id derived from it. */
    public record KeyHash(byte[] bytes) {
        /** Base64url of the 32-byte hash, as stored in the table. */
        public String value() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }

        /**
         * The key's id in URLs and in the table's partition key: 128 bits of the hash in lowercase
         * base32. It names the row without revealing the key, and needs no second look-up item.
         */
        public String keyId() {
            return Crockford.encode(java.util.Arrays.copyOf(bytes, 16), 26).toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof KeyHash hash && java.security.MessageDigest.isEqual(hash.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "KeyHash[" + keyId() + "]";
        }
    }
}
