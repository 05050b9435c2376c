package mx.prepaidkeys.edge;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.domain.KeyEvent;
import mx.prepaidkeys.domain.KeyRepository.KeyWithHistory;
import mx.prepaidkeys.domain.Timestamps;

/**
 * A key and what happened to it, oldest first: minted, activated (who accepted which licence
 * version, from where), its email held, assigned (to which client), voided (why).
 *
 * <p>Two views of one history. A distributor sees its own users by {@code sub} and username, and
 * the back office only as the vendor: no admin's name or id, no batch id, no batch note (the
 * back office's provenance is not theirs to read). The back office sees everything.
 *
 * @param confirmationEmail once the key is activated: PENDING (owed), SENDING, SENT, FAILED (given up; the back office resends it)
 *                          or HELD (not sent: the user's address was not verified)
 */
@Serdeable
public record HistoryView(KeyView key, List<EventView> history, String confirmationEmail) {

    @Serdeable
    public record EventView(String type, String at, ActorView by, Map<String, String> details) {}

    /**
     * Who made an entry: a distributor's {@code USER} or the back office's {@code ADMIN}, by
     * {@code sub} and username; to a distributor, the back office is just {@code VENDOR}.
     */
    @Serdeable
    public record ActorView(String type, String username, String sub) {
        static final ActorView VENDOR = new ActorView("VENDOR", null, null);
    }

    public static HistoryView forDistributor(KeyWithHistory found, Instant now) {
        List<EventView> events = found.events().stream().map(e -> e.type().byBackOffice()
                ? new EventView(e.type().name(), Timestamps.format(e.at()), ActorView.VENDOR, forDistributor(e))
                : event(e, "USER")).toList();
        return new HistoryView(KeyView.forDistributor(found.key(), now), events, found.emailState());
    }

    public static HistoryView forBackOffice(KeyWithHistory found, Instant now) {
        List<EventView> events = found.events().stream().map(e -> event(e, e.type().byBackOffice() ? "ADMIN" : "USER")).toList();
        return new HistoryView(KeyView.forBackOffice(found.key(), now), events, found.emailState());
    }

    /** What a back-office entry tells a distributor: why a key was voided, never where a batch came from. */
    private static Map<String, String> forDistributor(KeyEvent event) {
        return event.type() == KeyEvent.Type.ISSUED ? Map.of() : event.details();
    }

    private static EventView event(KeyEvent e, String actorType) {
        return new EventView(e.type().name(), Timestamps.format(e.at()),
                new ActorView(actorType, KeyView.actor(e.actorUsername(), e.actorSub()), KeyView.sub(e.actorSub())), e.details());
    }
}
