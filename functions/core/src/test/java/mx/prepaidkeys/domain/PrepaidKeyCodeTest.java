package mx.prepaidkeys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrepaidKeyCodeTest {
    /** Seeded: a failure names the exact keys to replay. */
    private static final Random RANDOM = new Random(20261125);

    @Test
    void a_new_key_is_25_symbols_in_five_groups_without_look_alikes() {
        for (int i = 0; i < 1_000; i++) {
            PrepaidKeyCode code = PrepaidKeyCode.generate(RANDOM);
            assertTrue(code.formatted().matches("([0-9A-HJKMNP-TV-Z]{5}-){4}[0-9A-HJKMNP-TV-Z]{5}"), code.formatted());
            assertEquals(code, PrepaidKeyCode.parse(code.formatted()));
        }
        assertTrue(PrepaidKeyCode.RANDOM_BITS >= 115);
    }

    @Test
    void typed_input_is_normalised_case_spaces_dashes_and_look_alikes() {
        PrepaidKeyCode code = keyWith('0', '1');
        String typed = code.formatted().toLowerCase().replace('0', 'o').replace('1', 'l').replace("-", " - ");
        assertEquals(code, PrepaidKeyCode.parse("  " + typed + "\t"));
        assertEquals(code, PrepaidKeyCode.parse(code.canonical().replace('1', 'I')));
        assertEquals(code, PrepaidKeyCode.parse(code.formatted().replace('-', '\u2013')));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ABCDE", "ABCDE-ABCDE-ABCDE-ABCDE-ABCD", "ABCDE-ABCDE-ABCDE-ABCDE-ABCDEF",
            "ABCDE-ABCDE-ABCDE-ABCDE-ABCDU", "ÁBCDE-ABCDE-ABCDE-ABCDE-ABCDE", "ABCDE+ABCDE-ABCDE-ABCDE-ABCDE",
            "😀😀😀😀😀-ABCDE-ABCDE-ABCDE-ABCDE"})
    void anything_else_is_a_format_error(String typed) {
        DomainException e = assertThrows(DomainException.class, () -> PrepaidKeyCode.parse(typed));
        assertInstanceOf(DomainError.KeyFormatInvalid.class, e.error());
    }

    @Test
    void overlong_input_is_refused_before_it_is_read() {
        String code = PrepaidKeyCode.generate(RANDOM).formatted();
        assertThrows(DomainException.class, () -> PrepaidKeyCode.parse(code + " ".repeat(PrepaidKeyCode.MAX_TYPED_LENGTH)));
        assertThrows(DomainException.class, () -> PrepaidKeyCode.parse(null));
    }

    @Test
    void the_check_character_catches_every_single_substitution() {
        int tried = 0;
        for (int k = 0; k < 300; k++) {
            String key = PrepaidKeyCode.generate(RANDOM).canonical();
            for (int position = 0; position < PrepaidKeyCode.LENGTH; position++) {
                for (char symbol : Crockford.ALPHABET.toCharArray()) {
                    if (symbol == key.charAt(position)) continue;
                    String typo = key.substring(0, position) + symbol + key.substring(position + 1);
                    assertRejected(typo, key);
                    tried++;
                }
            }
        }
        assertEquals(300 * 25 * 31, tried);
    }

    @Test
    void the_check_character_catches_every_transposition_adjacent_or_not() {
        int tried = 0;
        for (int k = 0; k < 300; k++) {
            String key = PrepaidKeyCode.generate(RANDOM).canonical();
            for (int i = 0; i < PrepaidKeyCode.LENGTH; i++) {
                for (int j = i + 1; j < PrepaidKeyCode.LENGTH; j++) {
                    if (key.charAt(i) == key.charAt(j)) continue;
                    char[] swapped = key.toCharArray();
                    swapped[i] = key.charAt(j);
                    swapped[j] = key.charAt(i);
                    assertRejected(new String(swapped), key);
                    tried++;
                }
            }
        }
        assertTrue(tried > 80_000, "tried " + tried);
    }

    @Test
    void zero_and_z_swapped_are_caught_where_luhn_mod_32_would_miss_them() {
        PrepaidKeyCode code = keyWith('0', 'Z');
        String key = code.canonical();
        int zero = key.indexOf('0');
        int z = key.indexOf('Z');
        char[] swapped = key.toCharArray();
        swapped[zero] = 'Z';
        swapped[z] = '0';
        assertRejected(new String(swapped), key);
    }

    @Test
    void shown_forms_never_include_the_whole_key() {
        PrepaidKeyCode code = PrepaidKeyCode.generate(RANDOM);
        assertEquals("*****-*****-*****-*****-" + code.canonical().substring(20), code.masked());
        assertEquals(code.masked(), code.toString());
        assertFalse(code.toString().contains(code.canonical().substring(0, 5)));
    }

    @Test
    void keys_do_not_repeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) assertTrue(seen.add(PrepaidKeyCode.generate(new java.security.SecureRandom()).canonical()));
    }

    private static void assertRejected(String typo, String original) {
        assertNotEquals(original, typo);
        DomainException e = assertThrows(DomainException.class, () -> PrepaidKeyCode.parse(typo), () -> original + " -> " + typo);
        assertInstanceOf(DomainError.KeyFormatInvalid.class, e.error());
    }

    /** A random valid key that contains both symbols, for tests about them. */
    private static PrepaidKeyCode keyWith(char first, char second) {
        while (true) {
            PrepaidKeyCode code = PrepaidKeyCode.generate(RANDOM);
            if (code.canonical().substring(0, 24).indexOf(first) >= 0 && code.canonical().substring(0, 24).indexOf(second) >= 0) {
                return code;
            }
        }
    }
}
