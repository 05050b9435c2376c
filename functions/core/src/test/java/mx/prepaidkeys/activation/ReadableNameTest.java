package mx.prepaidkeys.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The name users give themselves goes into their email only when it reads as a name. */
class ReadableNameTest {

    @Test
    void a_name_is_kept_and_anything_else_is_dropped() {
        assertEquals("Ana López", ActivationService.readableName(" Ana López "));
        assertEquals("José", ActivationService.readableName("Jose\u0301"));
        assertNull(ActivationService.readableName("Ana\nConfirmed by: the CEO"), "no lines of its own in the text email");
        assertNull(ActivationService.readableName("<b>Ana</b>"));
        assertNull(ActivationService.readableName("Ana\u3164"));
        assertNull(ActivationService.readableName("A".repeat(255)));
        assertNull(ActivationService.readableName(null));
    }
}
