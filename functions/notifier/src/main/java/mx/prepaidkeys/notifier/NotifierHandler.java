package mx.prepaidkeys.notifier;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.config.HandlerContext;
import mx.prepaidkeys.config.Priming;
import mx.prepaidkeys.log.JsonLog;
import mx.prepaidkeys.log.Metric;
import mx.prepaidkeys.log.Metrics;
import mx.prepaidkeys.mail.EmailDelivery;
import mx.prepaidkeys.store.DynamoEmailOutbox;

/**
 * Sends the confirmation emails activations owe, from the table's stream: an email item that
 * becomes PENDING (written with its activation, given back after a failed attempt, or asked again
 * by the back office) is delivered by {@link EmailDelivery}. A record that fails for another
 * reason (DynamoDB unreachable) is reported, and Lambda retries it, then dead-letters it.
 */
@AwsFunction(awsActions = {"dynamodb:UpdateItem", "ses:SendEmail", "sqs:SendMessage"},
        environment = {"TABLE_NAME", "SENDER_ADDRESS", "DESK_URL", "DEAD_LETTER_QUEUE_URL"},
        writesPartitions = {"KEY#*"})
public class NotifierHandler extends MicronautRequestHandler<DynamodbEvent, StreamsEventResponse> {

    @Inject
    EmailDelivery delivery;

    @Inject
    DeadLetters deadLetters;

    @Inject
    Clock clock;

    /** Held so that CRaC, which keeps resources weakly, runs it before the snapshot. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final Priming priming = Priming.register("NotifierHandler", this::prime);

    /** Only what this handler injects is built at start ({@link HandlerContext}). */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return HandlerContext.builder().eagerInitConfiguration(true);
    }

    /** The SnapStart warm-up ({@link Priming}); the benchmark calls it to measure a primed start. */
    public boolean primeNow() {
        return priming.prime();
    }

    /**
     * A claim of an email no key owes (a conditional update that finds nothing: the table's SDK
     * path, no write), the SES client built, and an empty stream batch through the handler.
     */
    private void prime() {
        delivery.deliver(new KeyId("00000000000000000000000000"), letter -> { });
        getApplicationContext().getBean(mx.prepaidkeys.domain.ConfirmationMailer.class);
        DynamodbEvent empty = new DynamodbEvent();
        empty.setRecords(List.of());
        handleRequest(empty, new mx.prepaidkeys.config.LocalLambdaContext("priming", "NotifierHandler"));
    }

    @Override
    public StreamsEventResponse execute(DynamodbEvent event) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (var record : event.getRecords()) {
            var created = record.getDynamodb() == null ? null : record.getDynamodb().getApproximateCreationDateTime();
            if (created != null) Metrics.measure(Metric.STREAM_LAG, clock.millis() - created.getTime());
            try {
                KeyId keyId = owedEmail(record);
                if (keyId == null) continue;
                JsonLog.putContext("keyId", keyId.value());
                delivery.deliver(keyId, deadLetters::send);
            } catch (RuntimeException e) {
                JsonLog.error("notifier_record_failed", Map.of("error", e.getClass().getName(),
                        "sequenceNumber", record.getDynamodb().getSequenceNumber()));
                failures.add(StreamsEventResponse.BatchItemFailure.builder()
                        .withItemIdentifier(record.getDynamodb().getSequenceNumber()).build());
                // later records wait for this one: Lambda retries from the first failure
                break;
            } finally {
                JsonLog.clearContext();
            }
        }
        // one metrics line per batch, like an API request's: emails sent, retried, failed; stream lag
        Metrics.flush();
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    /** The key whose email just became owed, or null: the table's layout is the store's to read. */
    static KeyId owedEmail(DynamodbEvent.DynamodbStreamRecord record) {
        var change = record.getDynamodb();
        if (change == null) return null;
        return DynamoEmailOutbox.owedEmail(strings(change.getKeys()), strings(change.getNewImage()), strings(change.getOldImage()));
    }

    /** An image's string attributes, by name: all a decision about an owed email reads. */
    static Map<String, String> strings(Map<String, AttributeValue> image) {
        if (image == null) return null;
        Map<String, String> strings = new HashMap<>();
        image.forEach((name, value) -> {
            if (value != null && value.getS() != null) strings.put(name, value.getS());
        });
        return strings;
    }
}
