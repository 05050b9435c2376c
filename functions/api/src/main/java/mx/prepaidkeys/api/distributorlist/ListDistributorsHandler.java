package mx.prepaidkeys.api.distributorlist;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import mx.prepaidkeys.backoffice.DistributorListing;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.DistributorView;
import mx.prepaidkeys.edge.QueryParameters;

/** {@code GET /v1/admin/distributors}: the distributor accounts in id order, with their status. */
@AwsFunction(awsActions = {"dynamodb:Query", "secretsmanager:GetSecretValue"}, environment = {"TABLE_NAME", "PEPPER_SECRET_ARN"})
@CalledBy(Audience.ADMINS)
public class ListDistributorsHandler extends ApiHandler {
    private static final Set<String> NAMES = Set.of("limit", "cursor");

    @Inject
    DistributorListing listing;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        QueryParameters parameters = new QueryParameters(request.query(), NAMES);
        int limit = parameters.limit("limit", DistributorListing.DEFAULT_LIMIT, DistributorListing.MAX_LIMIT,
                "request.query.distributorLimit");
        String cursor = parameters.cursor("cursor");
        parameters.end();
        var page = listing.list(limit, cursor);
        return ApiResponse.ok(new DistributorList(page.distributors().stream().map(DistributorView::of).toList(), page.nextCursor()));
    }

    @Serdeable
    public record DistributorList(List<DistributorView> items, String nextCursor) {}
}
