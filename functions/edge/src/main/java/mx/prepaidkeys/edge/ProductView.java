package mx.prepaidkeys.edge;

import io.micronaut.serde.annotation.Serdeable;
import mx.prepaidkeys.domain.Product;

/** A product as the API shows it. */
@Serdeable
public record ProductView(String sku, String name, String description, int termMonths) {
    public static ProductView of(Product product) {
        return new ProductView(product.sku(), product.name(), product.description(), product.termMonths());
    }
}
