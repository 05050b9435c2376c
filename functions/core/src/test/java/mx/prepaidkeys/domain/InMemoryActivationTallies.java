package mx.prepaidkeys.domain;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The report's aggregates in memory, with the store's once-per-key rule. */
public final class InMemoryActivationTallies implements ActivationTallies {
    private final Set<KeyId> counted = new HashSet<>();
    private final Map<String, DayTally> tallies = new TreeMap<>();

    @Override
    public synchronized boolean countOnce(Activated activation) {
        if (!counted.add(activation.keyId())) return false;
        String cell = activation.day() + "#" + activation.distributorId().value() + "#" + activation.productSku();
        tallies.merge(cell, new DayTally(activation.day(), activation.distributorId(), activation.productSku(), 1),
                (a, b) -> new DayTally(a.day(), a.distributorId(), a.productSku(), a.activations() + b.activations()));
        return true;
    }

    @Override
    public synchronized List<DayTally> days(LocalDate from, LocalDate to) {
        List<DayTally> days = new ArrayList<>();
        for (DayTally tally : tallies.values()) {
            if (!tally.day().isBefore(from) && !tally.day().isAfter(to)) days.add(tally);
        }
        return days;
    }
}
