package mx.prepaidkeys.api.distributorget;

import jakarta.inject.Inject;
import mx.prepaidkeys.backoffice.DistributorAccounts;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.DistributorView;
import mx.prepaidkeys.edge.Ids;

/** {@code GET /v1/admin/distributors/{distributorId}}: one distributor account. */
@AwsFunction(awsActions = {"dynamodb:GetItem"}, environment = {"TABLE_NAME"})
@CalledBy(Audience.ADMINS)
public class GetDistributorHandler extends ApiHandler {
    @Inject
    DistributorAccounts accounts;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return ApiResponse.ok(DistributorView.of(accounts.find(Ids.distributorId(request))));
    }
}
