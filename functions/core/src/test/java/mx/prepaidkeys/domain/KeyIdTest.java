package mx.prepaidkeys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A key id is what {@code KeyHash.keyId()} makes: 26 lower-case Crockford symbols, nothing else. */
class KeyIdTest {

    @Test
    void a_key_id_is_26_lower_case_crockford_symbols() {
        assertTrue(KeyId.parse("0123456789abcdefghjkmnpqrs").isPresent());
        assertEquals("tvwxyz0123456789abcdefghjk", new KeyId("tvwxyz0123456789abcdefghjk").toString());
        for (String text : new String[] {"0123456789abcdefghjkmnpqr", "0123456789abcdefghjkmnpqrst", "0123456789ABCDEFGHJKMNPQRS",
                "0123456789abcdefghjkmnpqri", "0123456789abcdefghjkmnpqr#", "", null}) {
            assertEquals(Optional.empty(), KeyId.parse(text), String.valueOf(text));
            assertThrows(IllegalArgumentException.class, () -> new KeyId(text), String.valueOf(text));
        }
    }
}
