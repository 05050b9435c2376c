package mx.prepaidkeys.domain;

import java.time.LocalDate;
import java.util.List;

/**
 * The activation report's aggregates: activations per day (Mexico City), distributor and product,
 * kept by the table's stream. Each key is counted once in its life however often its activation is
 * delivered: the store keeps which keys it counted.
 */
public interface ActivationTallies {

    /** Counts the key's activation unless it was counted already; true when this call counted it. */
    boolean countOnce(Activated activation);

    /** Every non-empty tally of the days {@code from} to {@code to}, both included. */
    List<DayTally> days(LocalDate from, LocalDate to);

    /** A key activated (confirmed: ISSUED to AVAILABLE): on which day (Mexico City), for whom, of which product. */
    record Activated(KeyId keyId, LocalDate day, DistributorId distributorId, String productSku) {}

    record DayTally(LocalDate day, DistributorId distributorId, String productSku, long activations) {}
}
