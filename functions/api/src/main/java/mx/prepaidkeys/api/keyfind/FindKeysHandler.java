package mx.prepaidkeys.api.keyfind;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Inject;
import java.util.List;
import mx.prepaidkeys.backoffice.KeyFinder;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.KeyView;

/**
 * {@code GET /v1/admin/prepaid-keys}: any keys, found by the last five symbols of the masked key a
 * distributor reads out, by batch or by distributor, narrowed by status, product and client RFC; the
 * back office's view of each (masked key, batch, distributor), a page at a time.
 */
@AwsFunction(awsActions = {"dynamodb:Query", "dynamodb:BatchGetItem", "secretsmanager:GetSecretValue"},
        environment = {"TABLE_NAME", "PEPPER_SECRET_ARN"})
@CalledBy(Audience.ADMINS)
public class FindKeysHandler extends ApiHandler {
    @Inject
    KeyFinder finder;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var page = finder.find(FindParameters.parse(request.query()));
        return ApiResponse.ok(new FoundKeys(page.items().stream().map(key -> KeyView.forBackOffice(key, page.at())).toList(),
                page.nextCursor()));
    }

    /** @param nextCursor null on the last page; a page may be short, even empty, and still have one */
    @Serdeable
    public record FoundKeys(List<KeyView> items, String nextCursor) {}
}
