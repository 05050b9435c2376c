package mx.prepaidkeys.notifier;

import io.micronaut.core.value.PropertyResolver;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.stream.Collectors;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.log.JsonLog;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Emails given up on go to the dead-letter queue (SQS) that ops watch (an alarm fires on its depth)
 * and redrive with the back office's "resend confirmation email". Without a queue (the local stack)
 * the log line is the dead letter.
 */
@Singleton
public class DeadLetters {
    public static final String QUEUE_URL = "dead.letter.queue.url";
    private final String queueUrl;
    private final SqsClient sqs;

    public DeadLetters(PropertyResolver properties, ServiceSettings settings) {
        this.queueUrl = properties.get(QUEUE_URL, String.class).filter(url -> !url.isBlank()).orElse(null);
        this.sqs = queueUrl == null ? null : SqsClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(settings.region())).build();
    }

    public void send(Map<String, Object> letter) {
        JsonLog.error("confirmation_email_dead_lettered", letter);
        if (sqs == null) return;
        String body = letter.entrySet().stream().map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
    }
}
