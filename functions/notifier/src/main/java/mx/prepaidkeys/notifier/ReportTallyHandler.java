package mx.prepaidkeys.notifier;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.backoffice.ActivationReport;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.config.HandlerContext;
import mx.prepaidkeys.config.Priming;
import mx.prepaidkeys.domain.ActivationTallies.Activated;
import mx.prepaidkeys.log.JsonLog;
import mx.prepaidkeys.store.DynamoActivationTallies;

/**
 * Keeps the activation report's aggregates from the table's stream: each key's activation (the
 * confirm, ISSUED to AVAILABLE) is counted once per day, distributor and product ({@link ActivationReport#tally}); a record delivered
 * again counts nothing. A record that fails (DynamoDB unreachable) is reported, Lambda retries from
 * it, and after the last attempt sends the batch's description to the dead-letter queue.
 */
@AwsFunction(awsActions = {"dynamodb:PutItem", "dynamodb:UpdateItem"}, environment = {"TABLE_NAME"},
        writesPartitions = {"REPORT#*"})
public class ReportTallyHandler extends MicronautRequestHandler<DynamodbEvent, StreamsEventResponse> {

    @Inject
    ActivationReport report;

    /** Held so that CRaC, which keeps resources weakly, runs it before the snapshot. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final Priming priming = Priming.register("ReportTallyHandler", this::prime);

    /** Only what this handler injects is built at start ({@link HandlerContext}). */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return HandlerContext.builder().eagerInitConfiguration(true);
    }

    /** The SnapStart warm-up ({@link Priming}); the benchmark calls it to measure a primed start. */
    public boolean primeNow() {
        return priming.prime();
    }

    /** An empty stream batch through the handler: nothing written (its role may write only REPORT#, and a real key is no warm-up). */
    private void prime() {
        DynamodbEvent empty = new DynamodbEvent();
        empty.setRecords(List.of());
        handleRequest(empty, new mx.prepaidkeys.config.LocalLambdaContext("priming", "ReportTallyHandler"));
    }

    @Override
    public StreamsEventResponse execute(DynamodbEvent event) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        int counted = 0;
        for (var record : event.getRecords()) {
            try {
                Activated activated = activated(record);
                if (activated != null && report.tally(activated)) counted++;
            } catch (RuntimeException e) {
                JsonLog.error("report_tally_failed", Map.of("error", e.getClass().getName(),
                        "sequenceNumber", record.getDynamodb().getSequenceNumber()));
                failures.add(StreamsEventResponse.BatchItemFailure.builder()
                        .withItemIdentifier(record.getDynamodb().getSequenceNumber()).build());
                // later records wait for this one: Lambda retries from the first failure
                break;
            }
        }
        JsonLog.info("report_tallied", Map.of("records", event.getRecords().size(), "counted", counted));
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    static Activated activated(DynamodbEvent.DynamodbStreamRecord record) {
        var change = record.getDynamodb();
        if (change == null) return null;
        return DynamoActivationTallies.activated(NotifierHandler.strings(change.getKeys()), NotifierHandler.strings(change.getNewImage()),
                NotifierHandler.strings(change.getOldImage()));
    }
}
