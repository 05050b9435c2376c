package mx.prepaidkeys.config;

import io.micronaut.core.value.PropertyResolver;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import mx.prepaidkeys.domain.KeyHasher;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import mx.prepaidkeys.domain.SecretKeys;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
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
     * The secret's versions, from which the key hash, cursor and sealing keys are derived. Built when a
     * function starts (its handler injects a service that needs it), so a missing secret stops the
     * function before it answers anything. In AWS it is a Secrets Manager secret read once here
     * (before a SnapStart snapshot: rotating it means publishing new versions, README); tests and
     * the local stack pass it directly. Either form: the secret itself (version 1), or
     * {@code {"current": 2, "versions": {"1": "...", "2": "..."}}}.
     */
    @Singleton
    SecretKeys secretKeys(PropertyResolver properties, ServiceSettings settings) {
        String secret = properties.get(ServiceSettings.KEY_PEPPER, String.class).filter(s -> !s.isBlank())
                .or(() -> properties.get(ServiceSettings.PEPPER_SECRET_ARN, String.class).filter(s -> !s.isBlank())
                        .map(arn -> readSecret(arn, settings)))
                .orElseThrow(() -> new ConfigurationException("KEY_PEPPER is not set: the service's secret is required to look keys "
                        + "up (in AWS, set PEPPER_SECRET_ARN to the Secrets Manager secret holding it)"));
        return parseSecret(secret);
    }

    @Singleton
    KeyHasher keyHasher(SecretKeys keys) {
        return new KeyHasher(keys);
    }

    /** The secret as stored: plain (version 1) or JSON with its versions; never echoed in an error. */
    static SecretKeys parseSecret(String secret) {
        if (!secret.stripLeading().startsWith("{")) {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < SecretKeys.MIN_SECRET_BYTES) {
                throw new ConfigurationException("KEY_PEPPER is too short: it must be at least "
                        + SecretKeys.MIN_SECRET_BYTES + " bytes of secret (for example 48 random base64 characters)");
            }
            return SecretKeys.single(bytes);
        }
        try {
            var json = software.amazon.awssdk.protocols.jsoncore.JsonNode.parser().parse(secret).asObject();
            var current = json.get("current");
            var versions = json.get("versions");
            if (current == null || versions == null || !versions.isObject()) {
                throw new IllegalArgumentException("the secret's JSON needs \"current\" and \"versions\"");
            }
            java.util.Map<Integer, byte[]> secrets = new java.util.HashMap<>();
            versions.asObject().forEach((version, value) ->
                    secrets.put(Integer.parseInt(version), value.asString().getBytes(StandardCharsets.UTF_8)));
            return new SecretKeys(secrets, Integer.parseInt(current.isNumber() ? current.asNumber() : current.asString()));
        } catch (RuntimeException e) {
            // the message names versions and lengths, never a secret
            throw new ConfigurationException("the service's secret (KEY_PEPPER or the PEPPER_SECRET_ARN secret) is not usable: "
                    + (e instanceof IllegalArgumentException ? e.getMessage() : e.getClass().getSimpleName())
                    + "; it is one secret of at least " + SecretKeys.MIN_SECRET_BYTES + " bytes (for example 48 random base64 "
                    + "characters), or {\"current\": <version>, \"versions\": {\"<version>\": \"<secret>\", ...}}");
        }
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

    @Singleton
    CognitoIdentityProviderClient cognito(ServiceSettings settings) {
        var builder = CognitoIdentityProviderClient.builder()
                .httpClient(HttpClients.requestPath())
                .overrideConfiguration(budget(settings))
                .region(Region.of(settings.region()));
        settings.cognitoEndpoint().ifPresent(builder::endpointOverride);
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
