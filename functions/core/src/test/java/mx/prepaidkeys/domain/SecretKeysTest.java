package mx.prepaidkeys.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One secret, in versions; a key per purpose derived with HKDF-SHA256; keys found under every version. */
class SecretKeysTest {
    private static final byte[] V1 = "the-first-secret-of-the-service-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final byte[] V2 = "the-second-secret-of-the-service-987654321".getBytes(StandardCharsets.UTF_8);

    @Test
    void hkdf_is_rfc_5869() {
        HexFormat hex = HexFormat.of();
        // RFC 5869, test cases 1 and 3
        assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
                hex.formatHex(SecretKeys.hkdf(hex.parseHex("0b".repeat(22)), hex.parseHex("000102030405060708090a0b0c"),
                        hex.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42)));
        assertEquals("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
                hex.formatHex(SecretKeys.hkdf(hex.parseHex("0b".repeat(22)), null, new byte[0], 42)));
    }

    @Test
    void each_purpose_and_each_version_has_a_key_of_its_own() {
        SecretKeys keys = new SecretKeys(Map.of(1, V1, 2, V2), 2);
        for (var a : SecretKeys.Purpose.values()) {
            for (var b : SecretKeys.Purpose.values()) {
                if (a != b) assertFalse(java.util.Arrays.equals(keys.key(a, 2), keys.key(b, 2)), a + " and " + b);
            }
            assertFalse(java.util.Arrays.equals(keys.key(a, 1), keys.key(a, 2)), a + " across versions");
            assertFalse(java.util.Arrays.equals(V2, keys.key(a, 2)), "never the secret itself");
            assertEquals(32, keys.key(a, 2).length);
        }
        assertArrayEquals(SecretKeys.single(V1).key(SecretKeys.Purpose.KEY_HASH, 1), keys.key(SecretKeys.Purpose.KEY_HASH, 1),
                "version 1 derives the same keys before and after a rotation");
        assertEquals(List.of(2, 1), keys.versions());
        assertEquals(List.of(1, 2), new SecretKeys(Map.of(1, V1, 2, V2), 1).versions(), "the current one first, then newest");
        assertFalse(keys.toString().contains("secret"), keys.toString());
    }

    @Test
    void a_rotation_keeps_keys_minted_before_it_findable() {
        PrepaidKeyCode code = PrepaidKeyCode.generate(new SecureRandom());
        KeyId before = new KeyHasher(V1).hash(code).keyId();
        KeyHasher rotated = new KeyHasher(new SecretKeys(Map.of(1, V1, 2, V2), 2));
        assertEquals(2, rotated.hash(code).version(), "new keys are hashed under the new version");
        assertNotEquals(before, rotated.hash(code).keyId());
        assertEquals(List.of(rotated.hash(code).keyId(), before), rotated.candidates(code).stream().map(KeyHasher.KeyHash::keyId).toList(),
                "a typed key is looked up under each version, the current one first");
    }

    @Test
    void a_short_secret_or_a_current_version_without_one_is_a_configuration_error() {
        assertThrows(IllegalArgumentException.class, () -> new SecretKeys(Map.of(1, new byte[16]), 1));
        assertThrows(IllegalArgumentException.class, () -> new SecretKeys(Map.of(1, V1), 2));
        assertThrows(IllegalArgumentException.class, () -> new SecretKeys(Map.of(0, V1), 0));
        assertTrue(SecretKeys.single(V1).has(1));
    }
}
