package mx.prepaidkeys.api.assign;

import jakarta.inject.Inject;
import java.time.Clock;
import mx.prepaidkeys.activation.KeyAssignment;
import mx.prepaidkeys.domain.Client;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.Idempotent;
import mx.prepaidkeys.edge.Ids;
import mx.prepaidkeys.edge.JsonBody;
import mx.prepaidkeys.edge.KeyView;

/**
 * {@code POST /v1/prepaid-keys/{keyId}/assign}: "Asignar a cliente", AVAILABLE -> USED. The RFC is
 * validated as SAT defines it; a wrong check digit can be confirmed with {@code "confirmRfc": true}.
 */
@Idempotent
@AwsFunction(awsActions = {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
        "secretsmanager:GetSecretValue"},
        environment = {"TABLE_NAME", "PEPPER_SECRET_ARN"},
        writesPartitions = {"KEY#*", "COUNTS#*", "CLIENTS#*", "CLIENTWORDS#*", "IDEMPOTENCY#*"})
@CalledBy(Audience.DISTRIBUTORS)
public class AssignHandler extends ApiHandler {
    static final int MAX_RFC = 20;

    @Inject
    KeyAssignment assignment;

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
        body.end();
        var assigned = assignment.assign(request.distributor(), keyId, rfc, name, confirmRfc, request.sourceIp());
        return ApiResponse.ok(KeyView.forDistributor(assigned, clock.instant()));
    }
}
