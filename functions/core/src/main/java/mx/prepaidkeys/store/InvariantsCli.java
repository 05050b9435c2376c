package mx.prepaidkeys.store;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code make invariants}: checks a table with {@link TableInvariants} and prints one line per
 * invariant; exits 1 when one is violated, 2 when the table cannot be read.
 *
 * <pre>
 * InvariantsCli --table NAME [--region us-east-1] [--endpoint http://127.0.0.1:8000]
 *               [--ses-store http://127.0.0.1:8005/store] [--stuck-after-minutes 15]
 * </pre>
 * Without {@code --endpoint} it reads AWS with the default credentials (environment, profile, SSO,
 * instance role); it needs {@code dynamodb:Scan} and {@code dynamodb:Query} on the table and nothing
 * else. {@code --ses-store} is aws-ses-v2-local's store, to count the messages of each activation.
 */
public final class InvariantsCli {
    private InvariantsCli() {}

    public static void main(String[] args) {
        String table = null;
        String region = System.getenv().getOrDefault("AWS_REGION", "us-east-1");
        String endpoint = null;
        String sesStore = null;
        Duration stuckAfter = TableInvariants.STUCK_AFTER;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--table" -> table = value;
                case "--region" -> region = value;
                case "--endpoint" -> endpoint = blankToNull(value);
                case "--ses-store" -> sesStore = blankToNull(value);
                case "--stuck-after-minutes" -> stuckAfter = Duration.ofMinutes(Long.parseLong(value));
                default -> usage("unknown argument " + args[i]);
            }
            i++;
        }
        if (table == null || table.isBlank()) usage("--table is required");
        if (region == null || region.isBlank()) usage("--region is required");
        System.out.println("Reading every item of " + table + (endpoint == null ? " in " + region : " at " + endpoint)
                + " (a paged, strongly consistent Scan: read-only)...");
        InvariantReport report;
        try (DynamoDbClient dynamo = client(region, endpoint)) {
            URI store = sesStore == null ? null : URI.create(sesStore);
            report = new TableInvariants(stuckAfter).check(dynamo, table, store == null ? null : () -> sentEmails(store), Instant.now());
        } catch (RuntimeException e) {
            System.err.println("Cannot check " + table + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.print(report.text());
        System.exit(report.ok() ? 0 : 1);
    }

    private static DynamoDbClient client(String region, String endpoint) {
        AwsCredentialsProvider credentials = endpoint != null && System.getenv("AWS_ACCESS_KEY_ID") == null
                // emulators want some credentials and check none
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))
                : DefaultCredentialsProvider.builder().build();
        var builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of(region))
                .credentialsProvider(credentials);
        if (endpoint != null) builder.endpointOverride(URI.create(endpoint));
        return builder.build();
    }

    /** The messages aws-ses-v2-local holds ({@code GET /store}: {@code {emails: [{messageId, destination: {to}, subject}]}}). */
    public static List<SentEmail> sentEmails(URI store) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(store).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) throw new IllegalStateException(store + " answered " + response.statusCode());
            return parseStore(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the mail store " + store + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static List<SentEmail> parseStore(String json) {
        List<SentEmail> sent = new ArrayList<>();
        JsonNode emails = JsonNode.parser().parse(json).field("emails").orElse(null);
        if (emails == null || !emails.isArray()) return sent;
        for (JsonNode email : emails.asArray()) {
            List<String> to = new ArrayList<>();
            email.field("destination").flatMap(d -> d.field("to")).filter(JsonNode::isArray)
                    .ifPresent(list -> list.asArray().forEach(address -> to.add(address.asString())));
            sent.add(new SentEmail(email.field("messageId").map(JsonNode::asString).orElse(""), to,
                    email.field("subject").map(JsonNode::asString).orElse("")));
        }
        return sent;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: InvariantsCli --table NAME [--region REGION] [--endpoint URL] [--ses-store URL] [--stuck-after-minutes 15]");
        System.exit(2);
    }
}
