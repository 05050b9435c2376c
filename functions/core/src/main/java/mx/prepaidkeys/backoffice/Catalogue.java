package mx.prepaidkeys.backoffice;

import jakarta.inject.Singleton;
import java.util.List;
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
     */
    public boolean save(Product product) {
        return keys.saveProduct(product);
    }

    public List<Product> list() {
        return keys.listProducts();
    }
}
