package mx.prepaidkeys.api.productlist;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Inject;
import java.util.List;
import mx.prepaidkeys.backoffice.Catalogue;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.ProductAdminView;

/** {@code GET /v1/admin/products}: the catalogue with each product's current licence. */
@AwsFunction(awsActions = {"dynamodb:Query"}, environment = {"TABLE_NAME"})
public class ListProductsHandler extends ApiHandler {

    @Inject
    Catalogue catalogue;

    public ListProductsHandler() {}

    public ListProductsHandler(ApplicationContextBuilder context) {
        super(context);
    }

    @Override
    protected Audience audience() {
        return Audience.ADMINS;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return ApiResponse.ok(new Products(catalogue.list().stream().map(ProductAdminView::of).toList()));
    }

    @Serdeable
    public record Products(List<ProductAdminView> items) {}
}
