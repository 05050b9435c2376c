package mx.prepaidkeys.edge;

import java.util.regex.Pattern;
import mx.prepaidkeys.domain.CatalogueRules;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.KeyId;

/**
 * Ids in paths. A malformed key or batch id is answered like an unknown one (404): what does not
 * exist and what is not the caller's look the same, and the id never reaches a query.
 */
public final class Ids {
    private static final Pattern BATCH_ID = Pattern.compile("[0-9a-hjkmnp-tv-z]{16}");

    private Ids() {}

    public static KeyId keyId(ApiRequest request) {
        return KeyId.parse(request.pathParameter("keyId")).orElseThrow(Ids::notFound);
    }

    /** The distributor named in the path: one that cannot exist is not found. */
    public static DistributorId distributorId(ApiRequest request) {
        return DistributorId.parse(request.pathParameter("distributorId")).orElseThrow(Ids::notFound);
    }

    public static String batchId(ApiRequest request) {
        return matching(request.pathParameter("batchId"), BATCH_ID);
    }

    /** A product SKU as {@link CatalogueRules#SKU} has it (refused as a bad field, it is the admin's own input). */
    public static String sku(String sku, String field) {
        if (!CatalogueRules.isSku(sku)) throw new RequestInvalid(field, "request.sku");
        return sku;
    }

    private static String matching(String value, Pattern pattern) {
        if (value == null || !pattern.matcher(value).matches()) throw notFound();
        return value;
    }

    private static DomainException notFound() {
        return new DomainException(new DomainError.NotFound());
    }
}
