package mx.prepaidkeys.api.account;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Inject;
import java.util.Set;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.domain.Distributor;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.Distributors;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.QueryParameters;

/**
 * {@code GET /v1/account}: the caller's own distributor, for the desk's header: its id, its name and
 * whether it is suspended. An account the back office has not recorded yet has no name and is active.
 */
@AwsFunction(awsActions = {"dynamodb:GetItem"}, environment = {"TABLE_NAME"})
@CalledBy(Audience.DISTRIBUTORS)
public class AccountHandler extends ApiHandler {
    @Inject
    Distributors distributors;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        new QueryParameters(request.query(), Set.of()).end();
        DistributorId id = request.distributor().distributorId();
        var account = distributors.find(id);
        return ApiResponse.ok(new Account(id.value(), account.map(Distributor::name).orElse(null),
                account.map(Distributor::status).orElse(Distributor.Status.ACTIVE).name()));
    }

    /** @param name null until the back office records the account */
    @Serdeable
    public record Account(String distributorId, String name, String status) {}
}
