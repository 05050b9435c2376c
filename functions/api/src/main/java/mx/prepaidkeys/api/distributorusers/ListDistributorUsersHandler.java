package mx.prepaidkeys.api.distributorusers;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.domain.DistributorUsers;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.Ids;
import mx.prepaidkeys.edge.QueryParameters;

/**
 * {@code GET /v1/admin/distributors/{distributorId}/users}: the distributor's users as the user pool
 * has them (username, email, group, whether they may sign in, their status). A distributor with no
 * users (or none recorded) answers an empty list.
 */
@AwsFunction(awsActions = {"cognito-idp:ListUsersInGroup"}, environment = {"USER_POOL_ID"})
@CalledBy(Audience.ADMINS)
public class ListDistributorUsersHandler extends ApiHandler {
    @Inject
    DistributorUsers users;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var distributorId = Ids.distributorId(request);
        new QueryParameters(request.query(), Set.of()).end();
        return ApiResponse.ok(new UserList(users.of(distributorId).stream()
                .map(u -> new UserView(u.username(), u.email(), u.group(), u.enabled(), u.status())).toList()));
    }

    @Serdeable
    public record UserView(String username, String email, String group, boolean enabled, String status) {}

    @Serdeable
    public record UserList(List<UserView> items) {}
}
