package mx.prepaidkeys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A distributor id goes into index keys ({@code DIST#<id>#...}): nothing that could forge one is an id. */
class DistributorIdTest {

    @Test
    void letters_digits_and_dot_underscore_colon_dash_up_to_64_are_an_id() {
        assertEquals(Optional.of(new DistributorId("dist-norte")), DistributorId.parse("dist-norte"));
        assertTrue(DistributorId.parse("A.b_c:d-9").isPresent());
        assertTrue(DistributorId.parse("d".repeat(64)).isPresent());
        assertEquals("dist-norte", new DistributorId("dist-norte").toString(), "its text is the bare value");
    }

    @Test
    void a_hash_a_space_65_characters_empty_or_nothing_is_not() {
        for (String text : new String[] {"norte#AVAILABLE", "dist norte", "d".repeat(65), "", " ", "dist/norte", "dístribuidor", null}) {
            assertEquals(Optional.empty(), DistributorId.parse(text), String.valueOf(text));
            assertThrows(IllegalArgumentException.class, () -> new DistributorId(text), String.valueOf(text));
        }
    }
}
