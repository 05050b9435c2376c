package mx.prepaidkeys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A user id is the pool's {@code sub}; it becomes part of item keys ({@code ATTEMPTS#USER#<sub>}), so it has no {@code #}. */
class UserIdTest {

    @Test
    void a_user_id_is_a_sub_without_hash_of_at_most_128_characters() {
        assertTrue(UserId.parse("0b7c2d4e-8f10-4a2b-9c3d-5e6f7a8b9c0d").isPresent());
        assertTrue(UserId.parse("u".repeat(128)).isPresent());
        for (String text : new String[] {"a#b", "u".repeat(129), "", "  ", null}) {
            assertEquals(Optional.empty(), UserId.parse(text), String.valueOf(text));
            assertThrows(IllegalArgumentException.class, () -> new UserId(text), String.valueOf(text));
        }
    }
}
