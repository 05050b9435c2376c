package mx.prepaidkeys.api.adminkey;

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

/** {@code GET /v1/admin/prepaid-keys/{keyId}}: any key with its history, its batch and its distributor. */
@AwsFunction(awsActions = {"dynamodb:Query", "dynamodb:GetItem"}, environment = {"TABLE_NAME"})
@CalledBy(Audience.ADMINS)
public class AdminKeyHandler extends ApiHandler {
    @Inject
    KeyHistory history;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return ApiResponse.ok(HistoryView.forBackOffice(history.forBackOffice(Ids.keyId(request)), history.now()));
    }
}
