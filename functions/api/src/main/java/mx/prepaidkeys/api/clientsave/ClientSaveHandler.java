package mx.prepaidkeys.api.clientsave;

import jakarta.inject.Inject;
import mx.prepaidkeys.clients.ClientBook;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.domain.Client;
import mx.prepaidkeys.domain.DirectoryClient;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.DirectoryClientView;
import mx.prepaidkeys.edge.JsonBody;

/**
 * {@code PUT /v1/clients/{rfc}}: the distributor keeps its client's name, email and notes (absent email
 * or notes are removed). The search follows the new name. Keys keep the name they were assigned with.
 */
@AwsFunction(awsActions = {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"},
        environment = {"TABLE_NAME"},
        writesPartitions = {"CLIENTS#*", "CLIENTWORDS#*"})
@CalledBy(Audience.DISTRIBUTORS)
public class ClientSaveHandler extends ApiHandler {
    @Inject
    ClientBook book;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.jsonBody();
        String name = body.name("name", Client.MAX_NAME);
        String email = body.optionalEmail("email", DirectoryClient.MAX_EMAIL);
        String notes = body.optionalLine("notes", DirectoryClient.MAX_NOTES);
        body.end();
        String tidyName = name.strip().replaceAll("\\s+", " ");
        return ApiResponse.ok(DirectoryClientView.of(book.update(request.distributor(), request.pathParameter("rfc"), tidyName, email, notes)));
    }
}
