package mx.prepaidkeys.bench;

import java.util.HashMap;
import java.util.Map;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.local.DevStack;
import mx.prepaidkeys.local.Emulators;
import mx.prepaidkeys.store.KeyTable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;

/** The table a benchmark seeds on the emulators, and the settings that point the service's code at it. */
final class BenchTable {
    private BenchTable() {}

    static DynamoDbClient client(Emulators emulators) {
        return DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(emulators.dynamoDbEndpoint()).build();
    }

    /** The service's table, but without a stream: dynoxide slows every write as a stream grows (AWS does not). */
    static void create(DynamoDbClient dynamo, String table) {
        dynamo.createTable(KeyTable.definition(table).toBuilder()
                .streamSpecification(StreamSpecification.builder().streamEnabled(false).build()).build());
    }

    /** Micronaut properties of a context on {@code table} and the emulators, with the local pepper. */
    static Map<String, Object> settings(Emulators emulators, String table) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ServiceSettings.TABLE_NAME, table);
        properties.put(ServiceSettings.DYNAMODB_ENDPOINT, emulators.dynamoDbEndpoint().toString());
        properties.put(ServiceSettings.SES_ENDPOINT, emulators.sesEndpoint().toString());
        properties.put(ServiceSettings.KEY_PEPPER, DevStack.LOCAL_PEPPER);
        return properties;
    }
}
