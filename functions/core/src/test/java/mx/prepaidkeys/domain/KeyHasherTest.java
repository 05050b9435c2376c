package mx.prepaidkeys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class KeyHasherTest {
    private static final byte[] PEPPER = "a-test-pepper-that-is-long-enough-1234".getBytes(StandardCharsets.UTF_8);

    @Test
    void the_same_key_however_typed_has_one_hash_and_one_id() {
        KeyHasher hasher = new KeyHasher(PEPPER);
        PrepaidKeyCode code = PrepaidKeyCode.generate(new SecureRandom());
        var hash = hasher.hash(code);
        assertEquals(hash, hasher.hash(PrepaidKeyCode.parse(code.formatted().toLowerCase())));
        assertTrue(hash.keyId().value().matches("[0-9a-hjkmnp-tv-z]{26}"), hash.keyId().value());
        assertEquals(43, hash.value().length());
    }

    @Test
    void another_pepper_gives_unrelated_hashes() {
        PrepaidKeyCode code = PrepaidKeyCode.generate(new SecureRandom());
        byte[] other = PEPPER.clone();
        other[0] ^= 1;
        assertNotEquals(new KeyHasher(PEPPER).hash(code), new KeyHasher(other).hash(code));
    }

    @Test
    void a_short_pepper_is_a_configuration_error() {
        assertThrows(IllegalArgumentException.class, () -> new KeyHasher(new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> new KeyHasher((byte[]) null));
    }

    @Test
    void the_hash_never_shows_the_key() {
        PrepaidKeyCode code = PrepaidKeyCode.generate(new SecureRandom());
        var hash = new KeyHasher(PEPPER).hash(code);
        assertTrue(!hash.toString().contains(code.canonical()) && !hash.value().contains(code.canonical()));
    }
}
