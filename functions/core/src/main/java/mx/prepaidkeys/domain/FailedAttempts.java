package mx.prepaidkeys.domain;

import java.time.Instant;
import java.util.List;

/** When a user's or a distributor's captures and confirms failed lately (key guessing). */
public interface FailedAttempts {

    /** The recent failures of each scope, oldest first. */
    Recent recent(String userSub, String distributorId);

    /** Records one failure for the user and for the distributor. */
    void record(String userSub, String distributorId, Instant at);

    record Recent(List<Instant> user, List<Instant> distributor) {}
}
