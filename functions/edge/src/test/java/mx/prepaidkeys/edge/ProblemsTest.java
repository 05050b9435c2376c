package mx.prepaidkeys.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.i18n.Language;
import org.junit.jupiter.api.Test;

/**
 * The error table as a client reads it: every refusal has its own code, a 4xx or 5xx status, a
 * title and a detail in both languages with no placeholder left, and the headers that tell a
 * client when to try again.
 */
class ProblemsTest {

    @Test
    void every_domain_error_has_its_own_code_and_reads_fully_in_both_languages() {
        Map<String, Class<?>> codes = new HashMap<>();
        for (DomainError error : DomainErrorSamples.everyKind()) {
            Class<?> type = error.getClass();
            var problemType = Problems.typeOf(error);
            assertTrue(problemType.status() >= 400 && problemType.status() < 600, type.getSimpleName());
            Class<?> earlier = codes.put(problemType.code(), type);
            assertEquals(null, earlier, problemType.code() + " names two errors");
            for (Language language : Language.values()) {
                var response = Problems.of(error, language, "req-1");
                assertEquals(problemType.status(), response.status());
                assertEquals(ApiResponse.PROBLEM_JSON, response.contentType());
                @SuppressWarnings("unchecked")
                Map<String, Object> body = (Map<String, Object>) response.payload();
                for (String text : new String[] {"title", "detail"}) {
                    String value = (String) body.get(text);
                    assertFalse(value == null || value.isBlank(), type.getSimpleName() + " " + text + " in " + language);
                    assertFalse(value.contains("{"), type.getSimpleName() + " " + text + " in " + language + " left a placeholder: " + value);
                }
                assertEquals(problemType.code(), body.get("code"));
                assertEquals("req-1", body.get("requestId"));
            }
            assertNotEquals(Problems.of(error, Language.ES_MX, "r").payload(), Problems.of(error, Language.EN, "r").payload(),
                    type.getSimpleName() + " is translated");
        }
    }

    @Test
    void a_refusal_that_ends_says_when_to_try_again_in_whole_seconds_rounded_up() {
        assertEquals("900", Problems.of(new DomainError.TooManyAttempts(Duration.ofSeconds(900)), Language.ES_MX, "r").headers().get("Retry-After"));
        assertEquals("2", Problems.of(new DomainError.RequestInProgress(Duration.ofMillis(1_200)), Language.EN, "r").headers().get("Retry-After"));
        assertEquals("1", Problems.of(new DomainError.RequestInProgress(Duration.ZERO), Language.EN, "r").headers().get("Retry-After"));
        assertEquals("1", Problems.of(new DomainError.MintIncomplete("B1", 3000, 5000), Language.EN, "r").headers().get("Retry-After"));
        assertEquals(null, Problems.of(new DomainError.NotFound(), Language.EN, "r").headers().get("Retry-After"));
    }

    @Test
    void a_guess_and_another_tenants_key_answer_alike() {
        // KEY_NOT_REDEEMABLE covers unknown, void, expired and someone else's: one code, one text.
        var unknown = Problems.of(new DomainError.KeyNotRedeemable(), Language.ES_MX, "r");
        assertEquals(422, unknown.status());
        assertEquals(404, Problems.typeOf(new DomainError.NotFound()).status());
    }
}
