package mx.prepaidkeys.config;

import io.micronaut.core.value.PropertyResolver;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import mx.prepaidkeys.domain.KeyHasher;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
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
     * pepper stops the function before it answers anything. In AWS the pepper is a Secrets Manager
     * secret read once here (before a SnapStart snapshot); tests and the local stack pass it directly.
     */
    @Singleton
    KeyHasher keyHasher(PropertyResolver properties, ServiceSettings settings) {
        String pepper = properties.get(ServiceSettings.KEY_PEPPER, String.class).filter(s -> !s.isBlank())
                .or(() -> properties.get(ServiceSettings.PEPPER_SECRET_ARN, String.class).filter(s -> !s.isBlank())
                        .map(arn -> readSecret(arn, settings)))
                .orElseThrow(() -> new ConfigurationException("KEY_PEPPER is not set: the secret pepper of the key hash is "
                        + "required to look keys up (in AWS, set PEPPER_SECRET_ARN to the Secrets Manager secret holding it)"));
        byte[] bytes = pepper.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < KeyHasher.MIN_PEPPER_BYTES) {
            throw new ConfigurationException("KEY_PEPPER is too short: it must be at least "
                    + KeyHasher.MIN_PEPPER_BYTES + " bytes of secret (for example 48 random base64 characters)");
        }
        return new KeyHasher(bytes);
    }

    private static String readSecret(String arn, ServiceSettings settings) {
        try (SecretsManagerClient secrets = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(settings.region()))
                .build()) {
            return secrets.getSecretValue(r -> r.secretId(arn)).secretString();
        }
    }

    @Singleton
    DynamoDbClient dynamoDb(ServiceSettings settings) {
        var builder = DynamoDbClient.builder()
                .httpClient(HttpClients.requestPath())
                .overrideConfiguration(budget(settings))
                .region(Region.of(settings.region()));
        settings.dynamoDbEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    @Singleton
    SesV2Client sesV2(ServiceSettings settings) {
        var builder = SesV2Client.builder()
                .httpClient(HttpClients.requestPath())
                .overrideConfiguration(budget(settings))
                .region(Region.of(settings.region()));
        settings.sesEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * Without these the SDK waits on a stalled connection until the function's timeout cuts it off
     * (Lambda then answers a bare error and an Idempotency-Key stays claimed): with them a call
     * gives up after its budget and the edge answers 503 with Retry-After.
     */
    public static ClientOverrideConfiguration budget(ServiceSettings settings) {
        return ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(settings.sdk().attempt())
                .apiCallTimeout(settings.sdk().call())
                .build();
    }
}
