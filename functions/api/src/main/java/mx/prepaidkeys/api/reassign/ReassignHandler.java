package mx.prepaidkeys.api.reassign;

import jakarta.inject.Inject;
import java.time.Clock;
import mx.prepaidkeys.activation.KeyReassignment;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.domain.Client;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.Idempotent;
import mx.prepaidkeys.edge.Ids;
import mx.prepaidkeys.edge.JsonBody;
import mx.prepaidkeys.edge.KeyView;

/**
 * {@code POST /v1/prepaid-keys/{keyId}/reassign}: "Corregir asignación", a used key goes to the right
 * client within 72 hours of its assignment ({@code ASSIGNMENT_FINAL} after), with the reason.
 */
@Idempotent
@AwsFunction(awsActions = {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
        "secretsmanager:GetSecretValue"},
        environment = {"TABLE_NAME", "PEPPER_SECRET_ARN"},
        writesPartitions = {"KEY#*", "CLIENTS#*", "CLIENTWORDS#*", "IDEMPOTENCY#*"})
@CalledBy(Audience.DISTRIBUTORS)
public class ReassignHandler extends ApiHandler {
    static final int MAX_RFC = 20;
    static final int MAX_REASON = 500;

    @Inject
    KeyReassignment reassignment;

    @Inject
    Clock clock;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        KeyId keyId = Ids.keyId(request);
        JsonBody body = request.jsonBody();
        JsonBody client = body.object("client");
        String rfc = client.string("rfc", MAX_RFC);
        String name = client.name("name", Client.MAX_NAME);
        boolean confirmRfc = body.optionalBool("confirmRfc", false);
        String reason = body.line("reason", MAX_REASON);
        body.end();
        var reassigned = reassignment.reassign(request.distributor(), keyId, rfc, name, confirmRfc, reason, request.sourceIp());
        return ApiResponse.ok(KeyView.forDistributor(reassigned, clock.instant()));
    }
}
