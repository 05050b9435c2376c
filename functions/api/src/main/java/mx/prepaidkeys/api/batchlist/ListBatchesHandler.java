package mx.prepaidkeys.api.batchlist;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import mx.prepaidkeys.backoffice.BatchListing;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.BatchView;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.QueryParameters;

/**
 * {@code GET /v1/admin/key-batches}: the batches, newest first, each with its product, who minted it
 * and when, and its keys counted by status; {@code product} narrows it to one product's.
 */
@AwsFunction(awsActions = {"dynamodb:Query", "secretsmanager:GetSecretValue"}, environment = {"TABLE_NAME", "PEPPER_SECRET_ARN"})
@CalledBy(Audience.ADMINS)
public class ListBatchesHandler extends ApiHandler {
    private static final Set<String> NAMES = Set.of("product", "limit", "cursor");

    @Inject
    BatchListing listing;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        QueryParameters parameters = new QueryParameters(request.query(), NAMES);
        String product = parameters.product("product");
        int limit = parameters.limit("limit", BatchListing.DEFAULT_LIMIT, BatchListing.MAX_LIMIT, "request.query.batchLimit");
        String cursor = parameters.cursor("cursor");
        parameters.end();
        var page = listing.list(product, limit, cursor);
        return ApiResponse.ok(new BatchList(page.batches().stream().map(b -> BatchView.of(b.batch(), b.counts(), null)).toList(),
                page.nextCursor()));
    }

    @Serdeable
    public record BatchList(List<BatchView> items, String nextCursor) {}
}
