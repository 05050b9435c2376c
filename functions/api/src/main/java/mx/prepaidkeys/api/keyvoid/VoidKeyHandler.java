package mx.prepaidkeys.api.keyvoid;

import jakarta.inject.Inject;
import java.time.Clock;
import mx.prepaidkeys.backoffice.KeyVoiding;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.Audited;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.Idempotent;
import mx.prepaidkeys.edge.Ids;
import mx.prepaidkeys.edge.JsonBody;
import mx.prepaidkeys.edge.KeyView;

/** {@code POST /v1/admin/prepaid-keys/{keyId}/void}: take an ISSUED or AVAILABLE key out of use, with a reason. */
@Idempotent
@Audited(action = "KEY_VOIDED", target = "keyId")
@AwsFunction(awsActions = {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
        "secretsmanager:GetSecretValue"},
        environment = {"TABLE_NAME", "PEPPER_SECRET_ARN"},
        writesPartitions = {"KEY#*", "COUNTS#*", "IDEMPOTENCY#*", "AUDIT#*"})
@CalledBy(Audience.ADMINS)
public class VoidKeyHandler extends ApiHandler {
    static final int MAX_REASON = 500;

    @Inject
    KeyVoiding voiding;

    @Inject
    Clock clock;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        KeyId keyId = Ids.keyId(request);
        JsonBody body = request.jsonBody();
        String reason = body.line("reason", MAX_REASON);
        body.end();
        return ApiResponse.ok(KeyView.forBackOffice(voiding.voidKey(request.backOfficeUser(), keyId, reason), clock.instant()));
    }
}
