package mx.prepaidkeys.config;

import io.micronaut.core.value.PropertyResolver;
import io.micronaut.context.exceptions.ConfigurationException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Every setting the functions read, in one place. Each comes from an environment variable (Micronaut
 * maps {@code TABLE_NAME} to {@code table.name}); tests and the local stack pass the same names as
 * properties. The README's configuration table lists them.
 *
 * @param dynamoDbEndpoint set only to talk to an emulator; empty means the AWS endpoint of the region
 * @param sesEndpoint      likewise for SES
 * @param sdk              how long an AWS call may take (docs/architecture.md, "The time budget")
 *
 * <p>The function's own timeout is not a setting: Lambda tells it only through the context's
 * remaining time, which {@code ApiRequest#endsBy} carries.
 */
public record ServiceSettings(
        String tableName,
        String region,
        Optional<URI> dynamoDbEndpoint,
        Optional<URI> sesEndpoint,
        Optional<String> senderAddress,
        Optional<String> deskUrl,
        SdkBudget sdk) {

    public static final String TABLE_NAME = "table.name";
    public static final String REGION = "aws.region";
    public static final String DYNAMODB_ENDPOINT = "dynamodb.endpoint";
    public static final String SES_ENDPOINT = "ses.endpoint";
    public static final String SENDER_ADDRESS = "sender.address";
    public static final String DESK_URL = "desk.url";
    public static final String KEY_PEPPER = "key.pepper";
    public static final String PEPPER_SECRET_ARN = "pepper.secret.arn";
    public static final String SDK_ATTEMPT_TIMEOUT_MS = "sdk.attempt.timeout.ms";
    public static final String SDK_CALL_TIMEOUT_MS = "sdk.call.timeout.ms";

    /**
     * An AWS call's time: each attempt at most {@code attempt}, the call with its retries at most
     * {@code call}. Defaults: 1 s and 3 s, a fifth of a 15 s function, so that a stalled
     * dependency costs one call's budget and the request still answers 503 well inside its timeout.
     */
    public record SdkBudget(Duration attempt, Duration call) {
        public static final SdkBudget DEFAULT = new SdkBudget(Duration.ofSeconds(1), Duration.ofSeconds(3));
    }

    public static ServiceSettings from(PropertyResolver properties) {
        return new ServiceSettings(
                required(properties, TABLE_NAME, "TABLE_NAME", "the DynamoDB table of keys"),
                properties.get(REGION, String.class).orElse("us-east-1"),
                properties.get(DYNAMODB_ENDPOINT, String.class).filter(s -> !s.isBlank()).map(URI::create),
                properties.get(SES_ENDPOINT, String.class).filter(s -> !s.isBlank()).map(URI::create),
                properties.get(SENDER_ADDRESS, String.class).filter(s -> !s.isBlank()),
                properties.get(DESK_URL, String.class).filter(s -> !s.isBlank()),
                new SdkBudget(Duration.ofMillis(properties.get(SDK_ATTEMPT_TIMEOUT_MS, Long.class).orElse(SdkBudget.DEFAULT.attempt().toMillis())),
                        Duration.ofMillis(properties.get(SDK_CALL_TIMEOUT_MS, Long.class).orElse(SdkBudget.DEFAULT.call().toMillis()))));
    }

    /** The sender of confirmation emails; only functions that send mail ask for it. */
    public String requireSenderAddress() {
        return senderAddress.orElseThrow(() -> new ConfigurationException(
                "SENDER_ADDRESS is not set: confirmation emails need a verified SES sender address"));
    }

    static String required(PropertyResolver properties, String name, String variable, String what) {
        return properties.get(name, String.class).filter(s -> !s.isBlank()).orElseThrow(() ->
                new ConfigurationException(variable + " is not set: it names " + what));
    }
}
