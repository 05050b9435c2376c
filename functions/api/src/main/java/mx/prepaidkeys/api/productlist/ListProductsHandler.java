package mx.prepaidkeys.api.productlist;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Inject;
import java.util.List;
import mx.prepaidkeys.backoffice.Catalogue;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.ProductAdminView;

/** {@code GET /v1/admin/products}: the catalogue with each product's current licence. */
@AwsFunction(awsActions = {"dynamodb:Query"}, environment = {"TABLE_NAME"})
@CalledBy(Audience.ADMINS)
public class ListProductsHandler extends ApiHandler {
    @Inject
    Catalogue catalogue;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return ApiResponse.ok(new Products(catalogue.list().stream().map(ProductAdminView::of).toList()));
    }

    @Serdeable
    public record Products(List<ProductAdminView> items) {}
}
