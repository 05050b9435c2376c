package mx.prepaidkeys.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret a batch's keys are drawn from, so that a mint cut off half way can be finished by its
 * retry with the very same keys (never a second, different half). 256 random bits from a
 * SecureRandom; key {@code i} of the batch is read from HMAC-SHA256(seed, i || block) in counter
 * mode, a deterministic generator that is as unpredictable as the seed. The seed is kept sealed
 * while the batch may still need finishing, like the answer that carries the plain keys.
 */
public final class MintSeed {
    public static final int BYTES = 32;
    private final byte[] seed;

    private MintSeed(byte[] seed) {
        this.seed = seed.clone();
    }

    /** A new seed: a fresh SecureRandom per batch, never state shared by restored SnapStart copies. */
    public static MintSeed random() {
        byte[] seed = new byte[BYTES];
        new SecureRandom().nextBytes(seed);
        return new MintSeed(seed);
    }

    public static MintSeed of(byte[] seed) {
        if (seed.length != BYTES) throw new IllegalArgumentException("a mint seed is " + BYTES + " bytes");
        return new MintSeed(seed);
    }

    public byte[] bytes() {
        return seed.clone();
    }

    /** The seed as the table keeps it: AES-GCM under the secret's mint-seed key of {@code version}, bound to its batch. */
    public byte[] sealed(SecretKeys keys, int version, String batchId) {
        try {
            byte[] iv = new byte[12];
            new SecureRandom().nextBytes(iv);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys, version, batchId, iv);
            byte[] sealed = cipher.doFinal(seed);
            byte[] out = Arrays.copyOf(iv, iv.length + sealed.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a mint seed", e);
        }
    }

    /** @throws IllegalStateException when the sealed seed is not this batch's, or was tampered with */
    public static MintSeed unseal(SecretKeys keys, int version, String batchId, byte[] sealed) {
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, keys, version, batchId, Arrays.copyOf(sealed, 12));
            return of(cipher.doFinal(sealed, 12, sealed.length - 12));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the mint seed of batch " + batchId + " does not open", e);
        }
    }

    private static Cipher cipher(int mode, SecretKeys keys, int version, String batchId, byte[] iv) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(keys.key(SecretKeys.Purpose.MINT_SEED, version), "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(("batch " + batchId + "#v" + version).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** The batch's key number {@code index}: the same seed and index give the same key, always. */
    public PrepaidKeyCode key(int index) {
        return PrepaidKeyCode.generate(new Stream(index));
    }

    @Override
    public String toString() {
        return "MintSeed[secret]";
    }

    /** HMAC-SHA256(seed, index || block): 32 bytes a block, read 8 at a time. */
    private final class Stream implements RandomGenerator {
        private final Mac mac;
        private final int index;
        private long block;
        private ByteBuffer buffer = ByteBuffer.allocate(0);

        Stream(int index) {
            this.index = index;
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(seed, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
        }

        @Override
        public long nextLong() {
            if (buffer.remaining() < Long.BYTES) {
                byte[] input = ByteBuffer.allocate(Integer.BYTES + Long.BYTES).putInt(index).putLong(block++).array();
                buffer = ByteBuffer.wrap(mac.doFinal(input));
                Arrays.fill(input, (byte) 0);
            }
            return buffer.getLong();
        }
    }
}
