package mx.prepaidkeys.store;

import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The read capacity the list's reads consumed on this thread, for benchmarks that compare what a
 * page costs at 100 and at 100,000 keys.
 */
public final class ReadMeter {
    private static final ThreadLocal<double[]> UNITS = ThreadLocal.withInitial(() -> new double[2]);

    private ReadMeter() {}

    static void add(QueryResponse response) {
        add(response.consumedCapacity());
    }

    static void add(ConsumedCapacity consumed) {
        double[] units = UNITS.get();
        if (consumed != null && consumed.capacityUnits() != null) units[0] += consumed.capacityUnits();
        units[1]++;
    }

    /** Read capacity units and queries since the last call. */
    public record Reading(double units, int queries) {}

    /** What this thread read since the last call; starts counting again. */
    public static Reading take() {
        double[] units = UNITS.get();
        Reading reading = new Reading(units[0], (int) units[1]);
        units[0] = 0;
        units[1] = 0;
        return reading;
    }
}
