package mx.prepaidkeys.api.adminkey;

import io.micronaut.context.ApplicationContextBuilder;
import jakarta.inject.Inject;
import mx.prepaidkeys.activation.KeyHistory;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.HistoryView;
import mx.prepaidkeys.edge.Ids;

/** {@code GET /v1/admin/prepaid-keys/{keyId}}: any key with its history, its batch and its distributor. */
@AwsFunction(awsActions = {"dynamodb:Query", "dynamodb:GetItem"}, environment = {"TABLE_NAME"})
public class AdminKeyHandler extends ApiHandler {

    @Inject
    KeyHistory history;

    public AdminKeyHandler() {}

    public AdminKeyHandler(ApplicationContextBuilder context) {
        super(context);
    }

    @Override
    protected Audience audience() {
        return Audience.ADMINS;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return ApiResponse.ok(HistoryView.forBackOffice(history.forBackOffice(Ids.keyId(request)), history.now()));
    }
}
