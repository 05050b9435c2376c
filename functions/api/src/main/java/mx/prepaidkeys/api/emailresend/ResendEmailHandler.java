package mx.prepaidkeys.api.emailresend;

import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import mx.prepaidkeys.backoffice.EmailResending;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.Audited;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.Idempotent;
import mx.prepaidkeys.edge.Ids;

/**
 * {@code POST /v1/admin/prepaid-keys/{keyId}/resend-email}: send an activated key's confirmation
 * email again. 202: the notifier sends it shortly; {@code queued} is false when it was already on
 * its way (nothing more is sent). An email held because its user's address was not verified goes
 * out only with {@code {"addressVerified": true}}: the admin checked in Cognito that it is now.
 */
@Idempotent
@Audited(action = "EMAIL_RESENT", target = "keyId")
@AwsFunction(awsActions = {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
        "secretsmanager:GetSecretValue"},
        environment = {"TABLE_NAME", "PEPPER_SECRET_ARN"},
        writesPartitions = {"KEY#*", "IDEMPOTENCY#*", "AUDIT#*"})
@CalledBy(Audience.ADMINS)
public class ResendEmailHandler extends ApiHandler {
    @Inject
    EmailResending resending;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        KeyId keyId = Ids.keyId(request);
        // No body, an empty object, or the admin's word that a held email's address is verified now.
        boolean addressVerified = false;
        if (request.bodyBytes().length > 0) {
            var body = request.jsonBody();
            addressVerified = body.optionalBool("addressVerified", false);
            body.end();
        }
        var resend = resending.resend(request.backOfficeUser(), keyId, addressVerified);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("keyId", keyId.value());
        body.put("emailState", resend.state());
        body.put("queued", resend.queued());
        return new ApiResponse(202, body, ApiResponse.JSON, Map.of());
    }
}
