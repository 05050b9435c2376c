package mx.prepaidkeys.api.history;

import jakarta.inject.Inject;
import mx.prepaidkeys.activation.KeyHistory;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.HistoryView;
import mx.prepaidkeys.edge.Ids;

/** {@code GET /v1/prepaid-keys/{keyId}}: one of the caller's keys with its history; anyone else's is 404. */
@AwsFunction(awsActions = {"dynamodb:Query", "dynamodb:GetItem"}, environment = {"TABLE_NAME"})
@CalledBy(Audience.DISTRIBUTORS)
public class HistoryHandler extends ApiHandler {
    @Inject
    KeyHistory history;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var found = history.forDistributor(request.distributor(), Ids.keyId(request));
        return ApiResponse.ok(HistoryView.forDistributor(found, history.now()));
    }
}
