package mx.prepaidkeys.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The service's one secret, in versions, and the keys derived from it: one per purpose, so that no
 * key serves two (a cursor MAC never doubles as a key hash), each with the version of the secret it
 * came from, stored beside what it protects. Derivation is HKDF-SHA256 (RFC 5869) with the
 * purpose as its label.
 *
 * <p>Rotation adds a version: new keys are minted, cursors signed and answers sealed under the
 * current one, while every listed version still verifies and finds what it protected (a typed
 * key is looked up under each). README, Operations, says how.
 */
public final class SecretKeys {
    /** A secret shorter than this is a configuration mistake, not a secret. */
    public static final int MIN_SECRET_BYTES = 32;

    /** What a derived key protects; the label makes keys of different purposes unrelated. */
    public enum Purpose {
        /** The HMAC of a typed key: its id in the table. */
        KEY_HASH("prepaid-keys key-hash"),
        /** The MACs of list cursors. */
        LIST_CURSOR("prepaid-keys list-cursor"),
        /** AES-GCM of stored Idempotency-Key answers (a mint's answer holds plain keys). */
        ANSWER_SEALING("prepaid-keys answer-sealing"),
        /** AES-GCM of the seed a batch's keys are drawn from, kept while its mint may need finishing. */
        MINT_SEED("prepaid-keys mint-seed");

        private final byte[] label;

        Purpose(String label) {
            this.label = label.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final TreeMap<Integer, byte[]> secrets;
    private final int current;
    private final Map<Purpose, Map<Integer, byte[]>> derived = new java.util.EnumMap<>(Purpose.class);

    /**
     * @param secrets by version, each at least {@value #MIN_SECRET_BYTES} bytes
     * @param current the version new things are protected with
     */
    public SecretKeys(Map<Integer, byte[]> secrets, int current) {
        if (secrets == null || secrets.isEmpty()) throw new IllegalArgumentException("no secret");
        this.secrets = new TreeMap<>(Collections.reverseOrder());
        secrets.forEach((version, secret) -> {
            if (version == null || version < 1) throw new IllegalArgumentException("secret versions are numbered from 1: " + version);
            if (secret == null || secret.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("secret version " + version + " must be at least " + MIN_SECRET_BYTES + " bytes");
            }
            this.secrets.put(version, secret.clone());
        });
        if (!this.secrets.containsKey(current)) throw new IllegalArgumentException("the current version " + current + " has no secret");
        this.current = current;
        for (Purpose purpose : Purpose.values()) {
            Map<Integer, byte[]> keys = new java.util.HashMap<>();
            this.secrets.forEach((version, secret) -> keys.put(version, hkdf(secret, null, purpose.label, 32)));
            derived.put(purpose, keys);
        }
    }

    /** One secret, version 1: how a plain pepper reads. */
    public static SecretKeys single(byte[] secret) {
        return new SecretKeys(Map.of(1, secret == null ? new byte[0] : secret), 1);
    }

    public int current() {
        return current;
    }

    /** Every version that still verifies, the current one first, then newest to oldest. */
    public List<Integer> versions() {
        List<Integer> versions = new java.util.ArrayList<>();
        versions.add(current);
        for (int version : secrets.keySet()) if (version != current) versions.add(version);
        return List.copyOf(versions);
    }

    public boolean has(int version) {
        return secrets.containsKey(version);
    }

    /** The key for a purpose under a version of the secret (32 bytes, a copy). */
    public byte[] key(Purpose purpose, int version) {
        byte[] key = derived.get(purpose).get(version);
        if (key == null) throw new IllegalArgumentException("no secret version " + version);
        return key.clone();
    }

    /** HKDF-SHA256 (RFC 5869): extract with {@code salt} (zeros when null), expand with {@code info} to {@code length} bytes. */
    static byte[] hkdf(byte[] inputKey, byte[] salt, byte[] info, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt == null || salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
            byte[] pseudoRandomKey = mac.doFinal(inputKey);
            mac.init(new SecretKeySpec(pseudoRandomKey, "HmacSHA256"));
            byte[] out = new byte[length];
            byte[] block = new byte[0];
            for (int done = 0, counter = 1; done < length; counter++) {
                mac.update(block);
                mac.update(info);
                mac.update((byte) counter);
                block = mac.doFinal();
                System.arraycopy(block, 0, out, done, Math.min(block.length, length - done));
                done += block.length;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        // never the secrets
        return "SecretKeys[versions=" + versions() + ", current=" + current + "]";
    }
}
