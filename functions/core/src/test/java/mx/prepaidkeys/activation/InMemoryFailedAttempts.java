package mx.prepaidkeys.activation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.FailedAttempts;
import mx.prepaidkeys.domain.UserId;

/** The attempt store in memory, with the table's semantics: a claim is a compare-and-set of one slot. */
public final class InMemoryFailedAttempts implements FailedAttempts {
    private final Map<UserId, Map<Integer, Slot>> slots = new HashMap<>();
    private final Map<DistributorId, List<Failure>> logs = new HashMap<>();
    final AtomicInteger claims = new AtomicInteger();
    final AtomicInteger lostClaims = new AtomicInteger();

    @Override
    public synchronized Snapshot read(UserId userSub, DistributorId distributorId) {
        return new Snapshot(Map.copyOf(slots.getOrDefault(userSub, Map.of())), List.copyOf(logs.getOrDefault(distributorId, List.of())));
    }

    @Override
    public synchronized boolean claim(UserId userSub, int index, Slot expected, Slot claimed) {
        claims.incrementAndGet();
        Map<Integer, Slot> user = slots.computeIfAbsent(userSub, u -> new HashMap<>());
        if (!Objects.equals(user.get(index), expected)) {
            lostClaims.incrementAndGet();
            return false;
        }
        user.put(index, claimed);
        return true;
    }

    @Override
    public synchronized void free(UserId userSub, int index, Slot claimed) {
        Map<Integer, Slot> user = slots.get(userSub);
        if (user != null && claimed.equals(user.get(index))) user.remove(index);
    }

    @Override
    public synchronized void recordDistributorFailure(DistributorId distributorId, UserId userSub, Instant at) {
        logs.computeIfAbsent(distributorId, d -> new ArrayList<>()).add(new Failure(at, userSub));
    }

    /** Lock marks by scope key ({@code USER#<sub>}, {@code DIST#<id>}): until when, and whose. */
    private final Map<String, Object[]> marks = new HashMap<>();

    @Override
    public synchronized void markUserLocked(UserId userSub, String username, DistributorId distributorId, Instant until) {
        marks.put("USER#" + userSub.value(), new Object[] {until, userSub, username, distributorId});
    }

    @Override
    public synchronized void markDistributorLocked(DistributorId distributorId, Instant until) {
        marks.put("DIST#" + distributorId.value(), new Object[] {until, null, null, distributorId});
    }

    @Override
    public synchronized List<Marked> markedAfter(Instant now) {
        List<Marked> marked = new ArrayList<>();
        for (var mark : marks.values()) {
            if (!((Instant) mark[0]).isAfter(now)) continue;
            UserId sub = (UserId) mark[1];
            DistributorId distributorId = (DistributorId) mark[3];
            marked.add(sub == null
                    ? new Marked(mx.prepaidkeys.domain.DomainError.LockScope.DISTRIBUTOR, null, null, distributorId, Map.of(),
                            List.copyOf(logs.getOrDefault(distributorId, List.of())))
                    : new Marked(mx.prepaidkeys.domain.DomainError.LockScope.USER, sub, (String) mark[2], distributorId,
                            Map.copyOf(slots.getOrDefault(sub, Map.of())), List.of()));
        }
        return marked;
    }

    @Override
    public synchronized Map<Integer, Slot> userSlots(UserId userSub) {
        return Map.copyOf(slots.getOrDefault(userSub, Map.of()));
    }

    @Override
    public synchronized void freeAll(UserId userSub) {
        slots.remove(userSub);
        marks.remove("USER#" + userSub.value());
    }

    synchronized int taken(UserId userSub) {
        return slots.getOrDefault(userSub, Map.of()).size();
    }

    /** Failures a user has in their distributor's log. */
    synchronized int failures(UserId userSub) {
        return (int) logs.values().stream().flatMap(List::stream).filter(failure -> failure.userSub().equals(userSub)).count();
    }
}
