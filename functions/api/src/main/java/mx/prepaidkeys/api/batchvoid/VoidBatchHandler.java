package mx.prepaidkeys.api.batchvoid;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Inject;
import mx.prepaidkeys.backoffice.Batches;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.Audited;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.BatchView;
import mx.prepaidkeys.edge.Idempotent;
import mx.prepaidkeys.edge.Ids;
import mx.prepaidkeys.edge.JsonBody;

/**
 * {@code POST /v1/admin/key-batches/{batchId}/void}: void every key of the batch still ISSUED or
 * AVAILABLE; used keys stay with their clients and are counted in the answer.
 */
@Idempotent
@Audited(action = "BATCH_VOIDED", target = "batchId")
@AwsFunction(awsActions = {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
        "dynamodb:DeleteItem", "dynamodb:Query", "secretsmanager:GetSecretValue"},
        environment = {"TABLE_NAME", "PEPPER_SECRET_ARN"},
        writesPartitions = {"KEY#*", "COUNTS#*", "IDEMPOTENCY#*", "AUDIT#*"})
@CalledBy(Audience.ADMINS)
public class VoidBatchHandler extends ApiHandler {
    static final int MAX_REASON = 500;

    @Inject
    Batches batches;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        String batchId = Ids.batchId(request);
        JsonBody body = request.jsonBody();
        String reason = body.line("reason", MAX_REASON);
        body.end();
        var tally = batches.voidAll(request.backOfficeUser(), batchId, reason);
        var counted = batches.counted(batchId);
        return ApiResponse.ok(new Voided(tally.voided(), tally.alreadyVoid(), tally.used(), BatchView.of(counted.batch(), counted.counts(), null)));
    }

    /**
     * @param voided      keys voided by this request
     * @param alreadyVoid keys that were void before it
     * @param used        keys left with their clients
     */
    @Serdeable
    public record Voided(int voided, int alreadyVoid, int used, BatchView batch) {}
}
