package mx.prepaidkeys.api.clientget;

import jakarta.inject.Inject;
import mx.prepaidkeys.clients.ClientBook;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.DirectoryClientView;

/** {@code GET /v1/clients/{rfc}}: one client of the caller's directory; anyone else's is 404. */
@AwsFunction(awsActions = {"dynamodb:GetItem"}, environment = {"TABLE_NAME"})
@CalledBy(Audience.DISTRIBUTORS)
public class ClientGetHandler extends ApiHandler {
    @Inject
    ClientBook book;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return ApiResponse.ok(DirectoryClientView.of(book.get(request.distributor(), request.pathParameter("rfc"))));
    }
}
