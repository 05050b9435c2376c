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
 * version, from where), assigned (to which client), voided (why).
 *
 * @param confirmationEmail once the key is activated: PENDING (owed), SENDING, SENT or FAILED (given up; the back office resends it)
 */
@Serdeable
public record HistoryView(KeyView key, List<EventView> history, String confirmationEmail) {

    @Serdeable
    public record EventView(String type, String at, String by, Map<String, String> details) {}

    public static HistoryView forDistributor(KeyWithHistory found, Instant now) {
        return new HistoryView(KeyView.forDistributor(found.key(), now), events(found.events()), found.emailState());
    }

    public static HistoryView forBackOffice(KeyWithHistory found, Instant now) {
        return new HistoryView(KeyView.forBackOffice(found.key(), now), events(found.events()), found.emailState());
    }

    private static List<EventView> events(List<KeyEvent> events) {
        return events.stream()
                .map(e -> new EventView(e.type().name(), Timestamps.format(e.at()), e.actorEmail(), e.details()))
                .toList();
    }
}
