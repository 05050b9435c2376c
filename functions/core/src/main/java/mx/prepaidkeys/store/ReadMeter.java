package mx.prepaidkeys.store;

import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The read capacity the list's and the back office's reads consumed on this thread, and the items
 * they read, for benchmarks that compare what a page costs at 100 and at 100,000 keys.
 */
public final class ReadMeter {
    private static final ThreadLocal<double[]> UNITS = ThreadLocal.withInitial(() -> new double[3]);

    private ReadMeter() {}

    static void add(QueryResponse response) {
        add(response.consumedCapacity(), response.scannedCount() == null ? 0 : response.scannedCount());
    }

    /** One read request: its capacity (null when it reported none) and the items it read. */
    static void add(ConsumedCapacity consumed, int items) {
        double[] units = UNITS.get();
        if (consumed != null && consumed.capacityUnits() != null) units[0] += consumed.capacityUnits();
        units[1]++;
        units[2] += items;
    }

    /**
     * Read capacity units, read requests (queries, gets), and items read (index entries and items,
     * as DynamoDB counts them, filtered out or not) since the last call.
     */
    public record Reading(double units, int queries, int items) {}

    /** What this thread read since the last call; starts counting again. */
    public static Reading take() {
        double[] units = UNITS.get();
        Reading reading = new Reading(units[0], (int) units[1], (int) units[2]);
        units[0] = 0;
        units[1] = 0;
        units[2] = 0;
        return reading;
    }
}
