package mx.prepaidkeys.load;

import java.time.Duration;
import java.util.Locale;

/**
 * The knobs of a run, from the environment `make load` passes on. The defaults keep the whole
 * `make load` under about five minutes on a two-core machine.
 *
 * @param seconds       how long users arrive (LOAD_SECONDS)
 * @param rate          distributor actions starting per second at the base rate (LOAD_RATE: 6, 4 with chaos, where
 *                      the cold starts after each fault take the machine's headroom); one action is one to three
 *                      requests (capture then confirm, a list then a key's history ...)
 * @param peakFactor    the month-end peak, as a multiple of the base rate (LOAD_PEAK)
 * @param distributors  distributor accounts (LOAD_DISTRIBUTORS)
 * @param usersEach     users per distributor account (LOAD_USERS)
 * @param chaos         inject the faults of {@link Chaos} during the run (CHAOS=1)
 */
record LoadSettings(int seconds, double rate, double peakFactor, int distributors, int usersEach, boolean chaos) {
    /** The month-end peak: a ramp to {@link #peakFactor} times the base rate, held, then back. */
    static final Duration RAMP_UP = Duration.ofSeconds(10);
    static final Duration PEAK_RAMP = Duration.ofSeconds(15);
    static final Duration PEAK_HOLD = Duration.ofSeconds(45);
    static final Duration RAMP_DOWN = Duration.ofSeconds(10);
    /** Back-office actions per second (mint, void, look a batch up), whatever the distributors do. */
    static final double ADMIN_RATE = 0.3;

    static LoadSettings fromEnvironment() {
        boolean chaos = flag("CHAOS");
        return new LoadSettings(integer("LOAD_SECONDS", chaos ? 300 : 150), decimal("LOAD_RATE", chaos ? 4 : 6), decimal("LOAD_PEAK", 2.5),
                integer("LOAD_DISTRIBUTORS", 12), integer("LOAD_USERS", 3), chaos);
    }

    /** Seconds at the base rate between the first ramp and the peak. */
    Duration base() {
        long fixed = RAMP_UP.toSeconds() + PEAK_RAMP.toSeconds() + PEAK_HOLD.toSeconds() + RAMP_DOWN.toSeconds();
        return Duration.ofSeconds(Math.max(20, seconds - fixed));
    }

    /** When the peak starts, from the first arrival. */
    Duration peakStarts() {
        return RAMP_UP.plus(base());
    }

    Duration total() {
        return peakStarts().plus(PEAK_RAMP).plus(PEAK_HOLD).plus(RAMP_DOWN);
    }

    double peakRate() {
        return rate * peakFactor;
    }

    /** About how many distributor actions the profile starts: what the key pools are sized for. */
    long expectedActions() {
        double ramps = RAMP_UP.toSeconds() * rate / 2 + PEAK_RAMP.toSeconds() * (rate + peakRate()) / 2
                + RAMP_DOWN.toSeconds() * (rate + peakRate()) / 2;
        return Math.round(ramps + base().toSeconds() * rate + PEAK_HOLD.toSeconds() * peakRate());
    }

    String describe() {
        return String.format(Locale.ROOT, "%d distributors x %d users, %.1f actions/s for %d s, then a ramp to %.1f/s (x%.1f) held %d s%s",
                distributors, usersEach, rate, RAMP_UP.toSeconds() + base().toSeconds(), peakRate(), peakFactor,
                PEAK_HOLD.toSeconds(), chaos ? ", with injected faults" : "");
    }

    private static boolean flag(String name) {
        String value = System.getenv(name);
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true") || value.equalsIgnoreCase("yes"));
    }

    private static int integer(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    private static double decimal(String name, double fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Double.parseDouble(value.trim());
    }
}
