package mx.prepaidkeys.notifier;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.config.Priming;
import mx.prepaidkeys.log.JsonLog;
import mx.prepaidkeys.mail.EmailDelivery;

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
    public static final String EMAIL_SK = "EMAIL#ACTIVATION";

    @Inject
    EmailDelivery delivery;

    @Inject
    DeadLetters deadLetters;

    /** Held so that CRaC, which keeps resources weakly, runs it before the snapshot. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final Priming priming;

    public NotifierHandler() {
        priming = Priming.register("NotifierHandler", this::prime);
    }

    public NotifierHandler(ApplicationContextBuilder context) {
        super(context);
        priming = Priming.register("NotifierHandler", this::prime);
    }

    /** Only what this handler injects is built at start (see ApiHandler for why Lambda's eager default is off). */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        // LambdaApplicationContextBuilder's settings, but for eagerInitSingletons(true) (which a builder cannot undo)
        return io.micronaut.context.ApplicationContext.builder().environments("function", "lambda").eagerInitConfiguration(true);
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
        delivery.deliver("00000000000000000000000000", letter -> { });
        getApplicationContext().getBean(mx.prepaidkeys.domain.ConfirmationMailer.class);
        DynamodbEvent empty = new DynamodbEvent();
        empty.setRecords(List.of());
        handleRequest(empty, new mx.prepaidkeys.config.LocalLambdaContext("priming", "NotifierHandler"));
    }

    @Override
    public StreamsEventResponse execute(DynamodbEvent event) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (var record : event.getRecords()) {
            try {
                String keyId = owedEmail(record);
                if (keyId == null) continue;
                JsonLog.putContext("keyId", keyId);
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
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    /** The key whose email just became PENDING, or null for any other change of the table. */
    static String owedEmail(DynamodbEvent.DynamodbStreamRecord record) {
        var change = record.getDynamodb();
        if (change == null || change.getNewImage() == null || change.getKeys() == null) return null;
        AttributeValue sk = change.getKeys().get("SK");
        if (sk == null || !EMAIL_SK.equals(sk.getS())) return null;
        if (!"PENDING".equals(state(change.getNewImage()))) return null;
        if (change.getOldImage() != null && "PENDING".equals(state(change.getOldImage()))) return null;
        return change.getKeys().get("PK").getS().substring("KEY#".length());
    }

    private static String state(Map<String, AttributeValue> image) {
        AttributeValue state = image.get("state");
        return state == null ? null : state.getS();
    }
}
