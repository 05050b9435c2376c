package mx.prepaidkeys.api.productsave;

import jakarta.inject.Inject;
import mx.prepaidkeys.backoffice.Catalogue;
import mx.prepaidkeys.domain.CatalogueRules;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.Audited;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.Idempotent;
import mx.prepaidkeys.edge.Ids;
import mx.prepaidkeys.edge.JsonBody;
import mx.prepaidkeys.edge.ProductAdminView;

/**
 * {@code PUT /v1/admin/products/{sku}}: create or update a product. A new licence version becomes
 * the current one; published versions are kept unchanged.
 */
@Idempotent
@Audited(action = "PRODUCT_SAVED", target = "sku")
@AwsFunction(awsActions = {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
        "secretsmanager:GetSecretValue"},
        environment = {"TABLE_NAME", "PEPPER_SECRET_ARN"},
        writesPartitions = {"PRODUCT#*", "IDEMPOTENCY#*", "AUDIT#*"})
@CalledBy(Audience.ADMINS)
public class SaveProductHandler extends ApiHandler {
    static final int MAX_TERM_MONTHS = 120;

    @Inject
    Catalogue catalogue;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        String sku = Ids.sku(request.pathParameter("sku"), "sku");
        JsonBody body = request.jsonBody();
        String name = body.title("name", 120);
        String description = body.line("description", 500);
        int termMonths = body.integer("termMonths", 1, MAX_TERM_MONTHS);
        JsonBody license = body.object("license");
        String version = license.string("version", 32);
        String title = license.title("title", 200);
        String url = license.string("url", 500);
        String text = license.text("text", 12_000);
        if (url != null && !url.startsWith("https://")) license.reject("url", "request.pattern");
        for (var broken : CatalogueRules.check(name, version, title, text)) {
            switch (broken.rule()) {
                case LICENSE_VERSION -> body.reject(broken.field(), "request.licenseVersion");
                case TOO_SHORT -> body.reject(broken.field(), "request.tooShort", broken.minimum());
                case SKU -> body.reject(broken.field(), "request.sku");
            }
        }
        body.end();
        Product product = new Product(sku, name, description, termMonths, new License(version, title, url, text));
        boolean created = catalogue.save(product);
        return ApiResponse.status(created ? 201 : 200, ProductAdminView.of(product));
    }
}
