package mx.prepaidkeys.backoffice;

import jakarta.inject.Singleton;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import mx.prepaidkeys.domain.ActivationTallies;
import mx.prepaidkeys.domain.ActivationTallies.Activated;
import mx.prepaidkeys.domain.ActivationTallies.DayTally;

/**
 * Activations per distributor, product or month over a range of Mexico City days, read from the
 * aggregates the stream keeps ({@link ActivationTallies}), never from the keys: a year costs at most
 * 13 month partitions whatever the number of keys.
 */
@Singleton
public class ActivationReport {
    /** Days in a range, both ends included: 366 consecutive days touch at most 13 months. */
    public static final int MAX_DAYS = 366;

    public enum GroupBy {
        DISTRIBUTOR(t -> t.distributorId().value()),
        PRODUCT(DayTally::productSku),
        MONTH(t -> YearMonth.from(t.day()).toString());

        private final Function<DayTally, String> key;

        GroupBy(Function<DayTally, String> key) {
            this.key = key;
        }
    }

    public record Row(String key, long activations) {}

    public record Report(LocalDate from, LocalDate to, GroupBy groupBy, List<Row> rows, long total) {}

    private final ActivationTallies tallies;

    public ActivationReport(ActivationTallies tallies) {
        this.tallies = tallies;
    }

    /** The stream's side: true when this activation was counted now, false when it had been already. */
    public boolean tally(Activated activation) {
        return tallies.countOnce(activation);
    }

    /** @param from inclusive, as {@code to}; at most {@value #MAX_DAYS} days (the edge names the field otherwise) */
    public Report report(LocalDate from, LocalDate to, GroupBy groupBy) {
        if (!withinLimits(from, to)) throw new IllegalArgumentException("report range " + from + " to " + to);
        Map<String, Long> rows = new TreeMap<>();
        long total = 0;
        for (DayTally tally : tallies.days(from, to)) {
            rows.merge(groupBy.key.apply(tally), tally.activations(), Long::sum);
            total += tally.activations();
        }
        return new Report(from, to, groupBy, rows.entrySet().stream().map(e -> new Row(e.getKey(), e.getValue())).toList(), total);
    }

    public static boolean withinLimits(LocalDate from, LocalDate to) {
        return !from.isAfter(to) && ChronoUnit.DAYS.between(from, to) < MAX_DAYS;
    }
}
