package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyItems.s;
import static mx.prepaidkeys.store.KeyItems.str;
import static mx.prepaidkeys.store.KeyTable.GSI1;
import static mx.prepaidkeys.store.KeyTable.GSI1PK;
import static mx.prepaidkeys.store.KeyTable.GSI1SK;
import static mx.prepaidkeys.store.KeyTable.PK;
import static mx.prepaidkeys.store.KeyTable.SK;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.Product;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The catalogue: {@code PRODUCT#<sku>} with its current licence, and beside it every licence
 * version ever published ({@code LICENSE#<version>}), which is never rewritten: users accepted
 * exactly that text. The catalogue lists through {@code GSI1} ({@code CATALOG}).
 */
final class DynamoProducts {
    private static final String PRODUCT_SK = "PRODUCT";
    private static final String CATALOG = "CATALOG";

    private final DynamoDbClient dynamo;
    private final String table;

    DynamoProducts(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    Optional<Product> find(String sku) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(PK, s("PRODUCT#" + sku), SK, s(PRODUCT_SK)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toProduct(item));
    }

    List<Product> list() {
        return Pages.items(dynamo, QueryRequest.builder().tableName(table).indexName(GSI1)
                        .keyConditionExpression("#pk = :catalog").expressionAttributeNames(Map.of("#pk", GSI1PK))
                        .expressionAttributeValues(Map.of(":catalog", s(CATALOG))).build())
                .stream().map(DynamoProducts::toProduct).toList();
    }

    /** @return true when the product is new */
    boolean save(Product product) {
        boolean created = find(product.sku()).isEmpty();
        License license = product.license();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s("PRODUCT#" + product.sku()));
        item.put(SK, s(PRODUCT_SK));
        item.put(GSI1PK, s(CATALOG));
        item.put(GSI1SK, s(product.sku()));
        item.put("type", s("PRODUCT"));
        item.put("sku", s(product.sku()));
        item.put("name", s(product.name()));
        item.put("description", s(product.description()));
        item.put("termMonths", AttributeValue.fromN(Integer.toString(product.termMonths())));
        putLicense(item, license);
        Map<String, AttributeValue> version = new HashMap<>();
        version.put(PK, s("PRODUCT#" + product.sku()));
        version.put(SK, s("LICENSE#" + license.version()));
        version.put("type", s("LICENSE"));
        putLicense(version, license);
        try {
            dynamo.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(item).build()).build(),
                    // A published licence version is never rewritten: users accepted exactly that text.
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(version)
                            .conditionExpression("attribute_not_exists(PK) OR (licenseTitle = :title AND licenseUrl = :url AND licenseText = :text)")
                            .expressionAttributeValues(Map.of(":title", s(license.title()), ":url", s(license.url()), ":text", s(license.text())))
                            .build()).build()));
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e)) throw new DomainException(new DomainError.LicenseVersionImmutable(license.version()));
            throw e;
        }
        return created;
    }

    private static void putLicense(Map<String, AttributeValue> item, License license) {
        item.put("licenseVersion", s(license.version()));
        item.put("licenseTitle", s(license.title()));
        item.put("licenseUrl", s(license.url()));
        item.put("licenseText", s(license.text()));
    }

    static Product toProduct(Map<String, AttributeValue> item) {
        return new Product(str(item, "sku"), str(item, "name"), str(item, "description"),
                Integer.parseInt(item.get("termMonths").n()),
                new License(str(item, "licenseVersion"), str(item, "licenseTitle"), str(item, "licenseUrl"),
                        str(item, "licenseText")));
    }
}
