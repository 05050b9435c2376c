package mx.prepaidkeys.domain;

import java.time.Instant;
import java.time.LocalDate;

/** A product of the catalogue as sold with prepaid keys; {@code license} is its current licence version. */
public record Product(String sku, String name, String description, int termMonths, License license) {

    /** The last day of service for a key activated at {@code activatedAt}: the term counts from activation. */
    public LocalDate validUntil(Instant activatedAt) {
        return activatedAt.atZone(Timestamps.MEXICO_CITY).toLocalDate().plusMonths(termMonths);
    }
}
