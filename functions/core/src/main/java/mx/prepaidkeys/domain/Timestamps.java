package mx.prepaidkeys.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * One text form for instants everywhere (table, JSON, cursors): UTC with exactly three fraction
 * digits, so that strings sort as the instants do and DynamoDB conditions can compare them.
 */
public final class Timestamps {
    /** The vendor's and most distributors' clock: dates people read (emails, notices, list filters) are in it. */
    public static final ZoneId MEXICO_CITY = ZoneId.of("America/Mexico_City");

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    public static Instant parse(String text) {
        return Instant.parse(text);
    }

    /** The instant as stored: an activation time read back must equal the one answered the first time. */
    public static Instant stored(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
