package mx.prepaidkeys.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

class LanguageTest {

    @Test
    void accept_language_picks_the_preferred_supported_language() {
        assertEquals(Language.ES_MX, Language.negotiate(null));
        assertEquals(Language.ES_MX, Language.negotiate("es-MX,es;q=0.9,en;q=0.8"));
        assertEquals(Language.EN, Language.negotiate("en-US,en;q=0.9"));
        assertEquals(Language.EN, Language.negotiate("fr-FR, en;q=0.5, de;q=0.4"));
        assertEquals(Language.ES_MX, Language.negotiate("fr-FR"));
        assertEquals(Language.ES_MX, Language.negotiate("en;q=0.3, es;q=0.7"));
        assertEquals(Language.ES_MX, Language.negotiate(";;;,q=zz,en;q=abc"));
    }

    @Test
    void a_header_names_a_language_only_when_it_names_spanish_or_english() {
        assertEquals(java.util.Optional.of(Language.EN), Language.named("en"));
        assertEquals(java.util.Optional.of(Language.ES_MX), Language.named("es-MX,es;q=0.9,en;q=0.5"));
        assertEquals(java.util.Optional.of(Language.EN), Language.named("fr-FR, en;q=0.5"));
        assertEquals(java.util.Optional.empty(), Language.named(null));
        assertEquals(java.util.Optional.empty(), Language.named("*"));
        assertEquals(java.util.Optional.empty(), Language.named("fr-FR,de;q=0.5"));
    }

    @Test
    void every_message_exists_in_both_languages() {
        var control = ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
        var spanish = ResourceBundle.getBundle("mx.prepaidkeys.messages", Language.ES_MX.locale(), control);
        var english = ResourceBundle.getBundle("mx.prepaidkeys.messages", Language.EN.locale(), control);
        assertEquals(spanish.keySet(), english.keySet());
        assertTrue(Messages.get(Language.ES_MX, "status.AVAILABLE").equals("Disponible sin asignar"));
        assertEquals("Utilizada", Messages.get(Language.ES_MX, "status.USED"));
    }
}
