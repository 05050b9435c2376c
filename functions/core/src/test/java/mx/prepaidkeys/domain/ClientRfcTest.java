package mx.prepaidkeys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** RFCs as SAT issues them: format, a real date, homoclave, and the mod-11 check digit. */
class ClientRfcTest {

    @ParameterizedTest
    @ValueSource(strings = {"SAT970701NN3", "GODE561231GR8", "BMN930209927", "IMS421231I45", "TME840315KT6",
            "XAXX010101000", "XEXX010101000"})
    void real_rfcs_and_the_generic_ones_are_accepted(String rfc) {
        ClientRfc parsed = ClientRfc.parse(rfc, false);
        assertEquals(rfc, parsed.value());
        assertFalse(parsed.checkDigitOverridden());
    }

    @Test
    void typed_rfcs_are_normalised() {
        assertEquals("GODE561231GR8", ClientRfc.parse(" gode-561231-gr8 ", false).value());
        assertEquals("SAT970701NN3", ClientRfc.parse("sat 970701 nn3", false).value());
        assertTrue(ClientRfc.parse("SAT970701NN3", false).isCompany());
    }

    @Test
    void ñ_and_ampersand_are_letters_of_an_rfc() {
        String company = "Ñ&A010101AB";
        String rfc = company + ClientRfc.checkDigit(company + "0");
        assertEquals(rfc, ClientRfc.parse(rfc.toLowerCase(), false).value());
    }

    @ParameterizedTest
    @CsvSource({
            "SAT97070NN3, LENGTH", "GODE561231GR88, LENGTH", "'', LENGTH",
            "S4T970701NN3, LETTERS", "GOD1561231GR8, LETTERS",
            "SAT971301NN3, DATE", "SAT970230NN3, DATE", "SAT97A701NN3, DATE",
            "SAT970701N-3, LENGTH", "SAT970701NNB, HOMOCLAVE", "SAT970701N*3, HOMOCLAVE"})
    void malformed_rfcs_say_what_is_wrong(String rfc, ClientRfc.Problem problem) {
        var error = assertThrows(DomainException.class, () -> ClientRfc.parse(rfc, false)).error();
        assertEquals(new DomainError.ClientRfcInvalid(problem), error, rfc);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GODE\u0665\u0666\u0661\u0662\u0663\u0661GR8", "GODE５６１２３１GR8", "GODE\u096B\u096C\u0967\u0968\u0969\u0967GR8",
            "GOD\u0131561231GR8", "ＧＯＤＥ561231GR8", "GODE561231GR8\u200B"})
    void only_ascii_letters_and_digits_with_ñ_and_ampersand_make_an_rfc_even_when_confirmed(String rfc) {
        for (boolean confirmed : new boolean[] {false, true}) {
            var error = assertThrows(DomainException.class, () -> ClientRfc.parse(rfc, confirmed)).error();
            assertEquals(new DomainError.ClientRfcInvalid(ClientRfc.Problem.CHARACTERS), error, rfc);
        }
        String company = "ÑAM010101AB";
        String real = company + ClientRfc.checkDigit(company + "0");
        assertEquals(real, ClientRfc.parse("N\u0303" + real.substring(1), false).value(), "a decomposed Ñ is an Ñ");
    }

    @Test
    void a_leap_day_is_a_real_date_in_a_leap_year_of_either_century() {
        String person = "GODE000229GR";
        ClientRfc.parse(person + ClientRfc.checkDigit(person + "0"), false);
        String notLeap = "GODE010229GR";
        assertInstanceOf(DomainError.ClientRfcInvalid.class,
                assertThrows(DomainException.class, () -> ClientRfc.parse(notLeap + ClientRfc.checkDigit(notLeap + "0"), false)).error());
    }

    @Test
    void a_wrong_check_digit_is_its_own_error_and_can_be_confirmed() {
        var error = assertThrows(DomainException.class, () -> ClientRfc.parse("SAT970701NN4", false)).error();
        assertInstanceOf(DomainError.ClientRfcCheckDigit.class, error);
        ClientRfc confirmed = ClientRfc.parse("SAT970701NN4", true);
        assertTrue(confirmed.checkDigitOverridden());
    }
}
