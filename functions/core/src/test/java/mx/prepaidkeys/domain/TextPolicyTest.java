package mx.prepaidkeys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import mx.prepaidkeys.domain.TextPolicy.Kind;
import mx.prepaidkeys.domain.TextPolicy.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What human-readable text may hold: names and texts people read, and what only looks like them. */
class TextPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"Eduardo Gómez Díaz", "Ferretería Núñez & Hijos, S.A. de C.V.", "O’Brien (Sucursal #2)", "Nº 5",
            "Müller GmbH", "Παπαδόπουλος", "Иванов и партнёры", "東京電機株式会社", "カタカナ商事", "한국전자", "محمد للتجارة",
            "שלום בעמ", "हिन्दी व्यापार", "ड़ें", "บริษัท ที่ดี", "Café 2026", "Público en general"})
    void names_of_every_script_are_names(String name) {
        var checked = TextPolicy.check(name, Kind.NAME);
        assertTrue(checked.accepted(), name + ": " + checked.refusal());
        assertEquals(name, checked.text());
    }

    @Test
    void text_is_kept_in_nfc() {
        assertEquals("José", TextPolicy.check("Jose\u0301", Kind.NAME).text());
        assertEquals("Núñez", TextPolicy.check("Nu\u0301n\u0303ez", Kind.NAME).text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ana\u3164López", "\u115FTelmex", "Tel\u1160mex", "Telmex\uFFA0", "Tel\u034Fmex", "Telmex\uFE0F",
            "Tel\uDB40\uDD00mex", "Telmex\uDB40\uDC41", "Tel\u200Bmex", "Pagos \u202Efdp.exe", "Tel\u00ADmex", "a\u2060b"})
    void invisible_characters_are_refused(String text) {
        for (Kind kind : Kind.values()) assertEquals(Refusal.INVISIBLE, TextPolicy.check(text, kind).refusal(), kind + " " + text);
    }

    @Test
    void a_few_marks_per_letter_and_no_more() {
        assertTrue(TextPolicy.check("x\u0301\u0302\u0303", Kind.NAME).accepted(), "three marks");
        assertEquals(Refusal.MARKS, TextPolicy.check("x\u0301\u0302\u0303\u0304", Kind.NAME).refusal(), "four marks (x takes none into one character)");
        assertEquals(Refusal.MARKS, TextPolicy.check("Te" + "\u0301".repeat(200) + "lmex", Kind.LINE).refusal());
        assertEquals(Refusal.MARKS, TextPolicy.check("\u0301Telmex", Kind.NAME).refusal(), "a mark on no letter");
        assertEquals(Refusal.MARKS, TextPolicy.check("Telmex 1\u20E3", Kind.LINE).refusal(), "a keycap on a digit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ｔｅｌｍｅｘ", "Telmex １２", "ﾃﾙﾒｯｸｽ", "𝐓𝐞𝐥𝐦𝐞𝐱", "Ⓣⓔⓛⓜⓔⓧ", "ﬁnanzas", "Tel\u00A0mex", "Tel\u3000mex", "m²"})
    void compatibility_forms_are_refused(String text) {
        assertEquals(Refusal.COMPATIBILITY, TextPolicy.check(text, Kind.LINE).refusal(), text);
    }

    @Test
    void words_of_names_and_titles_keep_to_one_script() {
        assertEquals(Refusal.MIXED_SCRIPTS, TextPolicy.check("T\u0435lmex", Kind.NAME).refusal(), "a Cyrillic е");
        assertEquals(Refusal.MIXED_SCRIPTS, TextPolicy.check("Telmex Cl\u03BFud", Kind.NAME).refusal(), "a Greek ο");
        assertEquals(Refusal.MIXED_SCRIPTS, TextPolicy.check("Aspel S\u0410E", Kind.TITLE).refusal(), "a Cyrillic А");
        assertTrue(TextPolicy.check("Telmex Иванов", Kind.NAME).accepted(), "two words, two scripts");
        assertTrue(TextPolicy.check("東京カタカナ", Kind.NAME).accepted(), "Japanese mixes by nature");
        assertTrue(TextPolicy.check("韓國한국", Kind.NAME).accepted(), "and Korean");
        assertTrue(TextPolicy.check("T\u0435lmex", Kind.LINE).accepted(), "free text may quote any word");
    }

    @Test
    void names_take_their_punctuation_and_texts_theirs() {
        assertEquals(Refusal.CHARACTERS, TextPolicy.check("Ferretería 🔨", Kind.NAME).refusal());
        assertEquals(Refusal.CHARACTERS, TextPolicy.check("x'; DROP TABLE keys;--", Kind.NAME).refusal());
        assertEquals(Refusal.CHARACTERS, TextPolicy.check("Ferretería 🔨", Kind.LINE).refusal(), "no emoji in any text");
        assertTrue(TextPolicy.check("Precio: $1,200.00 (IVA 16%) — ver https://vendor.example/l?v=2 «nota» ©2026 ™", Kind.LINE).accepted());
        assertTrue(TextPolicy.check("1.ª cláusula… y 2.º párrafo", Kind.LINE).accepted());
        assertEquals(Refusal.CONTROL, TextPolicy.check("Línea 1\nLínea 2", Kind.LINE).refusal());
        assertTrue(TextPolicy.check("Línea 1\r\n\tLínea 2", Kind.TEXT).accepted());
        assertEquals(Refusal.CONTROL, TextPolicy.check("a\u0000b", Kind.TEXT).refusal());
        assertEquals(Refusal.CHARACTERS, TextPolicy.check("a\uE000b", Kind.TEXT).refusal(), "private use");
        assertEquals(Refusal.CHARACTERS, TextPolicy.check("a\u2800b", Kind.TEXT).refusal(), "a blank braille pattern");
    }
}
