package mx.prepaidkeys.api.batchget;

import jakarta.inject.Inject;
import mx.prepaidkeys.backoffice.Batches;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.BatchView;
import mx.prepaidkeys.edge.Ids;

/** {@code GET /v1/admin/key-batches/{batchId}}: a batch's provenance and its keys counted by status. */
@AwsFunction(awsActions = {"dynamodb:GetItem", "dynamodb:Query"}, environment = {"TABLE_NAME"})
@CalledBy(Audience.ADMINS)
public class GetBatchHandler extends ApiHandler {
    @Inject
    Batches batches;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var counted = batches.counted(Ids.batchId(request));
        return ApiResponse.ok(BatchView.of(counted.batch(), counted.counts(), null));
    }
}
