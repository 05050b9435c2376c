package mx.prepaidkeys.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.SecretKeys;
import org.junit.jupiter.api.Test;

/**
 * A list cursor as a distributor's client meets it: it pages on with the same filter, for a day;
 * an edited, re-filtered or stale one is CURSOR_INVALID; another distributor's is NOT_FOUND.
 */
class PageCursorTest {
    private static final byte[] V1 = "the-first-secret-of-the-service-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final byte[] V2 = "the-second-secret-of-the-service-987654321".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-25T19:00:00Z");
    private static final String POSITION = "{\"pk\":\"DIST#dist-norte\",\"sk\":\"2026-11-25T18:00:00Z#k1\"}";
    private static final DistributorId NORTE = new DistributorId("dist-norte");
    private static final DistributorId SUR = new DistributorId("dist-sur");
    private final PageCursor cursors = new PageCursor(new SecretKeys(Map.of(1, V1), 1));

    @Test
    void a_cursor_gives_back_its_position_to_its_distributor_with_its_filter() {
        String cursor = cursors.encode(POSITION, NORTE, "status=AVAILABLE", NOW);
        assertEquals(POSITION, cursors.decode(cursor, NORTE, "status=AVAILABLE", NOW.plus(Duration.ofHours(23))));
    }

    @Test
    void another_filter_an_edit_or_a_day_old_cursor_is_invalid() {
        String cursor = cursors.encode(POSITION, NORTE, "status=AVAILABLE", NOW);
        assertInvalid(() -> cursors.decode(cursor, NORTE, "status=USED", NOW));
        String edited = cursor.substring(0, 10) + (cursor.charAt(10) == 'A' ? 'B' : 'A') + cursor.substring(11);
        assertInvalid(() -> cursors.decode(edited, NORTE, "status=AVAILABLE", NOW));
        assertInvalid(() -> cursors.decode(cursor, NORTE, "status=AVAILABLE", NOW.plus(PageCursor.LIFETIME).plusSeconds(1)));
        assertInvalid(() -> cursors.decode("not a cursor", NORTE, "", NOW));
        assertInvalid(() -> cursors.decode("x".repeat(PageCursor.MAX_LENGTH + 1), NORTE, "", NOW));
    }

    @Test
    void another_distributors_genuine_cursor_is_not_found_and_reads_nothing() {
        String theirs = cursors.encode(POSITION, SUR, "", NOW);
        var refused = assertThrows(DomainException.class, () -> cursors.decode(theirs, NORTE, "", NOW));
        assertInstanceOf(DomainError.NotFound.class, refused.error());
    }

    @Test
    void a_cursor_outlives_a_secret_rotation_until_its_version_is_dropped() {
        String before = cursors.encode(POSITION, NORTE, "", NOW);
        var rotated = new PageCursor(new SecretKeys(Map.of(1, V1, 2, V2), 2));
        assertEquals(POSITION, rotated.decode(before, NORTE, "", NOW));
        var dropped = new PageCursor(new SecretKeys(Map.of(2, V2), 2));
        assertInvalid(() -> dropped.decode(before, NORTE, "", NOW));
    }

    private static void assertInvalid(org.junit.jupiter.api.function.Executable decode) {
        var refused = assertThrows(DomainException.class, decode);
        assertInstanceOf(DomainError.CursorInvalid.class, refused.error());
    }
}
