package mx.prepaidkeys.store;

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
 * access pattern; template.yaml declares the same table for AWS. Tests and the local stack create
 * it from here.
 */
public final class KeyTable {
    public static final String PK = "PK";
    public static final String SK = "SK";
    /** A distributor's keys by status, in activation order. */
    public static final String GSI1 = "GSI1";
    public static final String GSI1PK = "GSI1PK";
    public static final String GSI1SK = "GSI1SK";
    /** A batch's keys by status. */
    public static final String GSI2 = "GSI2";
    public static final String GSI2PK = "GSI2PK";
    public static final String GSI2SK = "GSI2SK";
    public static final List<String> GSI2_ATTRIBUTES = List.of("keyId", "status", "distributorId");

    private KeyTable() {}

    public static CreateTableRequest definition(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(PK), string(SK), string(GSI1PK), string(GSI1SK), string(GSI2PK), string(GSI2SK))
                .keySchema(hash(PK), range(SK))
                .globalSecondaryIndexes(
                        index(GSI1, GSI1PK, GSI1SK, Projection.builder().projectionType(ProjectionType.ALL).build()),
                        // A batch void reads these to void each key without fetching it.
                        index(GSI2, GSI2PK, GSI2SK, Projection.builder().projectionType(ProjectionType.INCLUDE)
                                .nonKeyAttributes(GSI2_ATTRIBUTES).build()))
                .streamSpecification(StreamSpecification.builder()
                        .streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build())
                .build();
    }

    private static GlobalSecondaryIndex index(String name, String hash, String range, Projection projection) {
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(hash(hash), range(range)).projection(projection).build();
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
