package mx.prepaidkeys.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.exceptions.ConfigurationException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The service's secret as Secrets Manager (or KEY_PEPPER) holds it: plain, or JSON with versions. */
class CoreFactoryTest {
    private static final String ONE = "first-secret-of-the-service-0123456789abcdef";
    private static final String TWO = "second-secret-of-the-service-0123456789abcd";

    @Test
    void a_plain_secret_is_version_1() {
        var keys = CoreFactory.parseSecret(ONE);
        assertEquals(List.of(1), keys.versions());
        assertEquals(1, keys.current());
    }

    @Test
    void json_lists_the_versions_and_names_the_current_one() {
        var keys = CoreFactory.parseSecret("{\"current\": 2, \"versions\": {\"1\": \"" + ONE + "\", \"2\": \"" + TWO + "\"}}");
        assertEquals(List.of(2, 1), keys.versions());
        var staged = CoreFactory.parseSecret("{\"current\": \"1\", \"versions\": {\"1\": \"" + ONE + "\", \"2\": \"" + TWO + "\"}}");
        assertEquals(List.of(1, 2), staged.versions(), "a new version can be listed before it becomes current");
    }

    @Test
    void a_broken_secret_stops_the_function_without_showing_it() {
        for (String broken : List.of("short", "{\"versions\": {\"1\": \"" + ONE + "\"}}", "{\"current\": 3, \"versions\": {\"1\": \"" + ONE + "\"}}",
                "{\"current\": 1, \"versions\": {\"1\": \"tiny\"}}", "{not json " + ONE)) {
            var error = assertThrows(ConfigurationException.class, () -> CoreFactory.parseSecret(broken), broken);
            assertFalse(error.getMessage().contains(ONE) || error.getMessage().contains("tiny"), error.getMessage());
            assertTrue(error.getMessage().contains("KEY_PEPPER"), error.getMessage());
        }
    }
}
