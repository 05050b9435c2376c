package mx.prepaidkeys.edge;

import io.micronaut.serde.annotation.Serdeable;
import mx.prepaidkeys.domain.Product;

/** A catalogue product for the back office, with its current licence. */
@Serdeable
public record ProductAdminView(String sku, String name, String description, int termMonths, LicenseView license) {
    public static ProductAdminView of(Product product) {
        return new ProductAdminView(product.sku(), product.name(), product.description(), product.termMonths(),
                LicenseView.of(product.license()));
    }
}
