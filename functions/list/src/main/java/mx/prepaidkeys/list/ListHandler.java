package mx.prepaidkeys.list;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mx.prepaidkeys.activation.KeyListing;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.AwsFunction;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.KeyView;
import mx.prepaidkeys.edge.RequestInvalid;

/** {@code GET /v1/prepaid-keys}: "Claves prepago", the caller's keys a page at a time. */
@AwsFunction(awsActions = {"dynamodb:Query", "secretsmanager:GetSecretValue"},
        environment = {"TABLE_NAME", "PEPPER_SECRET_ARN"})
public class ListHandler extends ApiHandler {
    private static final Set<String> PARAMETERS = Set.of("status", "limit", "cursor");

    @Inject
    KeyListing listing;

    /** The Lambda runtime's entry: settings from environment variables. */
    public ListHandler() {}

    /** Tests and the local gateway: settings as properties. */
    public ListHandler(ApplicationContextBuilder context) {
        super(context);
    }

    @Override
    protected Audience audience() {
        return Audience.DISTRIBUTORS;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        Map<String, String> query = request.query();
        for (String name : query.keySet()) {
            if (!PARAMETERS.contains(name)) throw new RequestInvalid(name, "request.query", new RequestInvalid.Text("request.query.unknown"));
        }
        var page = listing.list(request.distributor(),
                new KeyListing.Query(statuses(query.get("status")), limit(query.get("limit")), cursor(query.get("cursor"))));
        return ApiResponse.ok(new KeyList(page.items().stream().map(key -> KeyView.forDistributor(key, page.at())).toList(),
                page.nextCursor()));
    }

    private static Set<KeyStatus> statuses(String parameter) {
        if (parameter == null) return KeyListing.VISIBLE;
        Set<KeyStatus> statuses = EnumSet.noneOf(KeyStatus.class);
        for (String name : parameter.split(",")) {
            KeyStatus status = KeyStatus.parse(name.trim());
            if (status == null || !KeyListing.VISIBLE.contains(status)) {
                throw new RequestInvalid("status", "request.query", new RequestInvalid.Text("request.query.status"));
            }
            statuses.add(status);
        }
        return statuses;
    }

    private static int limit(String parameter) {
        if (parameter == null) return KeyListing.DEFAULT_LIMIT;
        try {
            int limit = Integer.parseInt(parameter.trim());
            if (limit >= 1 && limit <= KeyListing.MAX_LIMIT) return limit;
        } catch (NumberFormatException ignored) {
            // answered below like any other out-of-range value
        }
        throw new RequestInvalid("limit", "request.query", new RequestInvalid.Text("request.query.limit"));
    }

    private static String cursor(String parameter) {
        return parameter == null || parameter.isEmpty() ? null : parameter;
    }

    @Serdeable
    public record KeyList(List<KeyView> items, String nextCursor) {}
}
