package mx.prepaidkeys.store;

import java.util.List;

/**
 * One message as the mail service holds it (locally: aws-ses-v2-local's {@code GET /store}), for
 * {@link TableInvariants} to count the sends of each activation. The {@code messageId} is what SES
 * answered the notifier, which the email item keeps once it is {@code SENT}.
 */
public record SentEmail(String messageId, List<String> to, String subject) {
    public SentEmail {
        to = List.copyOf(to);
    }
}
