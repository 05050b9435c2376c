package mx.prepaidkeys.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where key guessing is counted. Each user has a fixed number of attempt slots, each holding when
 * it was last taken; an attempt takes a slot before its key is looked up, with a write that
 * succeeds only if the slot still holds what was read, so two concurrent attempts can never take
 * the same one. A failed attempt keeps its slot; any other outcome frees it. Each distributor
 * keeps a log of its users' recent failures.
 */
public interface FailedAttempts {

    /** The user's taken slots (by index; a missing index is a slot never taken) and the distributor's recent failures. */
    Snapshot read(UserId userSub, DistributorId distributorId);

    /**
     * Takes a slot: writes {@code claimed} to slot {@code index} if it still holds {@code expected}.
     *
     * @param expected what the slot held when read, null when it was never taken
     * @return false when another attempt changed the slot first
     */
    boolean claim(UserId userSub, int index, Slot expected, Slot claimed);

    /** Frees a slot taken by {@code claimed}; nothing when the slot holds something else by now. */
    void free(UserId userSub, int index, Slot claimed);

    /** Adds a failure to the distributor's log. */
    void recordDistributorFailure(DistributorId distributorId, UserId userSub, Instant at);

    /**
     * Marks the user as locked until {@code until}, so that the back office finds the lock by a query.
     * A mark says where to look, not that the lock holds: readers judge the slots it comes with.
     */
    void markUserLocked(UserId userSub, String username, DistributorId distributorId, Instant until);

    /** Marks the distributor as locked until {@code until} (as {@link #markUserLocked}). */
    void markDistributorLocked(DistributorId distributorId, Instant until);

    /** Every user and distributor marked locked until after {@code now}, with the slots or failures they hold now. */
    List<Marked> markedAfter(Instant now);

    /** The user's slots, strongly consistent (by index; a missing index is a slot never taken or given back). */
    Map<Integer, Slot> userSlots(UserId userSub);

    /** Frees every slot of the user's: their lock, if any, is lifted. */
    void freeAll(UserId userSub);

    /**
     * A lock mark with what the marked item holds now.
     *
     * @param userSub  null for a distributor's mark
     * @param username the user's, when the mark is a user's
     */
    record Marked(DomainError.LockScope scope, UserId userSub, String username, DistributorId distributorId,
                  Map<Integer, Slot> userSlots, List<Failure> distributorFailures) {}

    /** @param token random, so that only the attempt that took a slot frees it */
    record Slot(Instant at, String token) {}

    /** A failure in a distributor's log: when, and by which user. */
    record Failure(Instant at, UserId userSub) {}

    /** @param distributorFailures oldest first */
    record Snapshot(Map<Integer, Slot> userSlots, List<Failure> distributorFailures) {}
}
