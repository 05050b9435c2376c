package mx.prepaidkeys.config;

import io.micronaut.core.value.PropertyResolver;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import mx.prepaidkeys.domain.KeyHasher;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Builds the long-lived objects once per Lambda container: settings, SDK clients, the key hasher.
 * Clients are injected, never static, and their endpoint comes from settings, so the same code talks
 * to AWS or to the emulators.
 */
@Factory
public class CoreFactory {

    @Singleton
    ServiceSettings settings(PropertyResolver properties) {
        return ServiceSettings.from(properties);
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Built when a function starts (its handler injects a service that needs it), so a missing
     * pepper stops the function before it answers anything.
     */
    @Singleton
    KeyHasher keyHasher(PropertyResolver properties) {
        String pepper = properties.get(ServiceSettings.KEY_PEPPER, String.class).filter(s -> !s.isBlank())
                .orElseThrow(() -> new ConfigurationException(
                        "KEY_PEPPER is not set: the secret pepper of the key hash is required to look keys up"));
        byte[] bytes = pepper.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < KeyHasher.MIN_PEPPER_BYTES) {
            throw new ConfigurationException("KEY_PEPPER is too short: it must be at least "
                    + KeyHasher.MIN_PEPPER_BYTES + " bytes of secret (for example 48 random base64 characters)");
        }
        return new KeyHasher(bytes);
    }

    @Singleton
    DynamoDbClient dynamoDb(ServiceSettings settings) {
        var builder = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(settings.region()));
        settings.dynamoDbEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    @Singleton
    SesV2Client sesV2(ServiceSettings settings) {
        var builder = SesV2Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(settings.region()));
        settings.sesEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
