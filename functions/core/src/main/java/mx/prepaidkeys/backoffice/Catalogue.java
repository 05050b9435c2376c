package mx.prepaidkeys.backoffice;

import jakarta.inject.Singleton;
import java.util.List;
import mx.prepaidkeys.domain.CatalogueRules;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.Product;

/** The products keys are sold for, with their licences of use. */
@Singleton
public class Catalogue {
    private final KeyRepository keys;

    public Catalogue(KeyRepository keys) {
        this.keys = keys;
    }

    /**
     * Creates or updates a product. A new licence version becomes the current one; published
     * versions are kept and never rewritten.
     *
     * @return true when the product is new
     * @throws IllegalArgumentException when it breaks {@link CatalogueRules} (the edge names the fields before)
     */
    public boolean save(Product product) {
        var broken = CatalogueRules.check(product);
        if (!broken.isEmpty()) throw new IllegalArgumentException("product " + product.sku() + " breaks " + broken);
        return keys.saveProduct(product);
    }

    public List<Product> list() {
        return keys.listProducts();
    }
}
