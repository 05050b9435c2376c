package mx.prepaidkeys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The words a client is found by, as people type them: without accents, in any case, by the start of any word. */
class ClientWordsTest {

    @Test
    void accents_tildes_and_case_are_dropped() {
        assertEquals(List.of("ana", "gomez"), ClientWords.of("Ana Gómez"));
        assertEquals(List.of("nunez", "munoz"), ClientWords.of("NÚÑEZ muñoz"));
        assertEquals(List.of("gom"), ClientWords.prefixes("GÓM"));
    }

    @Test
    void punctuation_separates_words_and_apostrophes_join_them() {
        // "S.A." and "C.V." are one-letter words: legal forms, not what anyone searches a client by.
        assertEquals(List.of("comercial", "del", "norte", "de"), ClientWords.of("Comercial del Norte, S.A. de C.V."));
        assertEquals(List.of("obrien", "co"), ClientWords.of("O'Brien & Co."));
        assertEquals(List.of("dona", "ines"), ClientWords.of("Doña Inés"));
        assertEquals(List.of("taller", "hermanos"), ClientWords.of("Taller-Hermanos"));
    }

    @Test
    void one_letter_words_are_not_indexed_nor_searched_and_words_are_distinct() {
        assertEquals(List.of("ana"), ClientWords.of("Ana y ana"));
        assertEquals(List.of(), ClientWords.prefixes("a"));
        assertEquals(List.of(), ClientWords.prefixes(" . - "));
        assertEquals(List.of("an"), ClientWords.prefixes("y an"));
    }

    @Test
    void a_name_indexes_a_bounded_number_of_words_so_its_writes_fit_one_transaction() {
        String long_name = IntStream.range(0, 40).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
        assertEquals(ClientWords.MAX_WORDS, ClientWords.of(long_name).size());
    }

    @Test
    void a_name_matches_when_every_prefix_starts_one_of_its_words() {
        assertTrue(ClientWords.matches("Ana Gómez", ClientWords.prefixes("gomez")));
        assertTrue(ClientWords.matches("Ana Gómez", ClientWords.prefixes("go an")));
        assertFalse(ClientWords.matches("Ana Gómez", ClientWords.prefixes("zz")));
        assertFalse(ClientWords.matches("Ana Gómez", ClientWords.prefixes("omez")));
    }
}
