package mx.prepaidkeys.api.lockoutlift;

import jakarta.inject.Inject;
import mx.prepaidkeys.backoffice.Lockouts;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.UserId;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.Audited;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;

/** {@code DELETE /v1/admin/lockouts/{userId}}: lifts the user's guessing lock at once (204); 404 when they hold none. */
@Audited(action = "LOCK_LIFTED", target = "userId")
@AwsFunction(awsActions = {"dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:PutItem"}, environment = {"TABLE_NAME"},
        writesPartitions = {"ATTEMPTS#*", "AUDIT#*"})
@CalledBy(Audience.ADMINS)
public class LiftLockoutHandler extends ApiHandler {
    @Inject
    Lockouts lockouts;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        UserId user = UserId.parse(request.pathParameter("userId"))
                .orElseThrow(() -> new DomainException(new DomainError.NotFound()));
        lockouts.lift(request.backOfficeUser(), user);
        return ApiResponse.status(204, null);
    }
}
