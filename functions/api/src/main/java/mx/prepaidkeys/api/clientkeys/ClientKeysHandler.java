package mx.prepaidkeys.api.clientkeys;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import mx.prepaidkeys.clients.ClientBook;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.KeyView;
import mx.prepaidkeys.edge.QueryParameters;

/** {@code GET /v1/clients/{rfc}/keys}: the keys a client of the caller's directory holds, and when each ends. */
@AwsFunction(awsActions = {"dynamodb:Query", "dynamodb:GetItem", "secretsmanager:GetSecretValue"},
        environment = {"TABLE_NAME", "PEPPER_SECRET_ARN"})
@CalledBy(Audience.DISTRIBUTORS)
public class ClientKeysHandler extends ApiHandler {
    private static final Set<String> NAMES = Set.of("limit", "cursor");

    @Inject
    ClientBook book;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        QueryParameters parameters = new QueryParameters(request.query(), NAMES);
        int limit = parameters.limit("limit", ClientBook.DEFAULT_LIMIT, ClientBook.MAX_LIMIT, "request.query.limit");
        String cursor = parameters.cursor("cursor");
        parameters.end();
        ClientBook.KeyPage page = book.keys(request.distributor(), request.pathParameter("rfc"), limit, cursor);
        return ApiResponse.ok(new ClientKeysView(page.keys().stream().map(held -> HeldKeyView.of(held, page)).toList(),
                page.nextCursor()));
    }

    /** @param nextCursor null on the last page */
    @Serdeable
    public record ClientKeysView(List<HeldKeyView> items, String nextCursor) {}

    /**
     * A key the client holds, and when it ends.
     *
     * @param validUntil the last day of service (Mexico City), its product's term from its activation
     */
    @Serdeable
    public record HeldKeyView(String keyId, String maskedKey, String status, KeyView.ProductRef product, String activatedAt,
                              String assignedAt, String validUntil) {
        static HeldKeyView of(ClientBook.HeldKey held, ClientBook.KeyPage page) {
            KeyView key = KeyView.forDistributor(held.key(), page.at());
            return new HeldKeyView(key.keyId(), key.maskedKey(), key.status(), key.product(), key.activatedAt(), key.assignedAt(),
                    held.validUntil() == null ? null : held.validUntil().toString());
        }
    }
}
