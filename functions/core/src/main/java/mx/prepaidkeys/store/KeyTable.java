package mx.prepaidkeys.store;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The shape of the one table: key names and indexes. docs/data-model.md explains every item and
 * access pattern; template.yaml declares the same table for AWS (the contract test compares them).
 * Tests and the local stack create it from here.
 */
public final class KeyTable {
    public static final String PK = "PK";
    public static final String SK = "SK";

    /** One global secondary index: its name is also the prefix of its key attributes ({@code GSI1PK}, {@code GSI1SK}). */
    public enum Index {
        /** A distributor's keys by status, in activation order; the product catalogue; every batch, newest first. */
        GSI1(List.of()),
        /** A batch's keys by status (keys only: a void reads the keys themselves, strongly consistent). */
        GSI2(null),
        /** A distributor's keys by status, in expiry order. */
        GSI3(List.of()),
        /** A distributor's keys by product and status, in activation order; a product's batches, newest first. */
        GSI4(List.of()),
        /** A distributor's keys by client RFC, in activation order. */
        GSI5(List.of()),
        /** A distributor's keys by client name (upper case, no accents), for prefix search. */
        GSI6(List.of()),
        /** A distributor's keys by their last characters, reversed, for suffix search. */
        GSI7(List.of()),
        /**
         * Every key by its last five symbols, whoever holds it (the back office's search by masked key).
         * Keys only: a suffix names a key or two, read then themselves, and a transition, which never
         * changes these attributes, costs this index no write.
         */
        GSI8(null);

        private final List<String> included;

        Index(List<String> included) {
            this.included = included;
        }

        public String pk() {
            return name() + "PK";
        }

        public String sk() {
            return name() + "SK";
        }

        /** Non-key attributes projected: empty means every attribute, null none (keys only). */
        public List<String> included() {
            return included;
        }

        Projection projection() {
            if (included == null) return Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build();
            if (included.isEmpty()) return Projection.builder().projectionType(ProjectionType.ALL).build();
            return Projection.builder().projectionType(ProjectionType.INCLUDE).nonKeyAttributes(included).build();
        }
    }

    // The names used most, kept short where they are read.
    public static final String GSI1 = Index.GSI1.name();
    public static final String GSI1PK = Index.GSI1.pk();
    public static final String GSI1SK = Index.GSI1.sk();
    public static final String GSI2 = Index.GSI2.name();
    public static final String GSI2PK = Index.GSI2.pk();
    public static final String GSI2SK = Index.GSI2.sk();

    private KeyTable() {}

    public static CreateTableRequest definition(String tableName) {
        List<AttributeDefinition> attributes = new ArrayList<>(List.of(string(PK), string(SK)));
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (Index index : Index.values()) {
            attributes.add(string(index.pk()));
            attributes.add(string(index.sk()));
            indexes.add(GlobalSecondaryIndex.builder().indexName(index.name()).keySchema(hash(index.pk()), range(index.sk()))
                    .projection(index.projection()).build());
        }
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes)
                .keySchema(hash(PK), range(SK))
                .globalSecondaryIndexes(indexes)
                .streamSpecification(StreamSpecification.builder()
                        .streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build())
                .build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement hash(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
    }

    private static KeySchemaElement range(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
    }
}
