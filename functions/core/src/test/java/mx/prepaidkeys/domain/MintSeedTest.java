package mx.prepaidkeys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MintSeedTest {

    @Test
    void the_same_seed_gives_the_same_keys_so_a_retry_finishes_the_batch_it_started() {
        MintSeed seed = MintSeed.random();
        MintSeed again = MintSeed.of(seed.bytes());
        for (int i = 0; i < 50; i++) assertEquals(seed.key(i).formatted(), again.key(i).formatted());
    }

    @Test
    void keys_of_a_seed_are_distinct_valid_and_unlike_another_seeds() {
        MintSeed seed = MintSeed.random();
        MintSeed other = MintSeed.random();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            String key = seed.key(i).formatted();
            assertEquals(key, PrepaidKeyCode.parse(key).formatted(), "a valid key, check character included");
            keys.add(key);
            assertNotEquals(key, other.key(i).formatted());
        }
        assertEquals(5_000, keys.size());
    }

    @Test
    void a_sealed_seed_opens_only_for_its_own_batch() {
        SecretKeys keys = SecretKeys.single("a secret of at least thirty-two bytes, for tests".getBytes());
        MintSeed seed = MintSeed.random();
        byte[] sealed = seed.sealed(keys, 1, "batch-a");
        assertEquals(seed.key(7).formatted(), MintSeed.unseal(keys, 1, "batch-a", sealed).key(7).formatted());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> MintSeed.unseal(keys, 1, "batch-b", sealed));
    }

    @Test
    void the_seed_never_shows_itself() {
        assertFalse(MintSeed.random().toString().matches(".*[0-9a-f]{16}.*"));
    }
}
