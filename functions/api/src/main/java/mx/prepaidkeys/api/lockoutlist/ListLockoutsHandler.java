package mx.prepaidkeys.api.lockoutlist;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import mx.prepaidkeys.backoffice.Lockouts;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.QueryParameters;

/**
 * {@code GET /v1/admin/lockouts}: the users and distributors locked by the attempt limit now, the
 * soonest to let go first, each with its scope and until when.
 */
@AwsFunction(awsActions = {"dynamodb:Query"}, environment = {"TABLE_NAME"})
@CalledBy(Audience.ADMINS)
public class ListLockoutsHandler extends ApiHandler {
    @Inject
    Lockouts lockouts;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        new QueryParameters(request.query(), Set.of()).end();
        return ApiResponse.ok(new LockList(lockouts.current().stream().map(lock -> new LockView(lock.scope().name(),
                lock.userSub() == null ? null : lock.userSub().value(), lock.username(), lock.distributorId().value(),
                Timestamps.format(lock.until()))).toList()));
    }

    /** @param userId the user's {@code sub}, for {@code DELETE /v1/admin/lockouts/{userId}}; absent for a distributor's lock */
    @Serdeable
    public record LockView(String scope, String userId, String username, String distributorId, String lockedUntil) {}

    @Serdeable
    public record LockList(List<LockView> items) {}
}
