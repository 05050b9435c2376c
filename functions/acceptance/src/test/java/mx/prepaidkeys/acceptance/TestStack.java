package mx.prepaidkeys.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.local.DevStack;
import mx.prepaidkeys.local.Emulators;
import mx.prepaidkeys.store.KeyTable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The local stack of this test run, started once per JVM exactly as `make run` starts it (on free
 * ports, in its own state directory): its emulators serve every test, and the end-to-end tests go
 * through its gateway. Each handler test class takes a fresh table beside the stack's own.
 */
final class TestStack {
    /** The local stack's: the key ids in events/ are computed with it. */
    static final String PEPPER = DevStack.LOCAL_PEPPER;
    static final String SENDER = "claves-prepago@vendor.example";
    static final String DESK_URL = "https://desk.vendor.example/claves-prepago";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestStack instance;

    final DevStack local;
    final Emulators emulators;
    final DynamoDbClient dynamo;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private TestStack(DevStack local) {
        this.local = local;
        this.emulators = local.emulators();
        this.dynamo = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(emulators.dynamoDbEndpoint())
                .build();
    }

    static synchronized TestStack get() {
        if (instance == null) {
            Path root = Emulators.repositoryRoot();
            Path state = root.resolve("functions/acceptance/target/local-stack");
            deleteRecursively(state);
            DevStack local = DevStack.start(DevStack.Options.isolated(root, state));
            Runtime.getRuntime().addShutdownHook(new Thread(local::close, "local-stack-stop"));
            instance = new TestStack(local);
        }
        return instance;
    }

    private static void deleteRecursively(Path dir) {
        if (!java.nio.file.Files.exists(dir)) return;
        try (var paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException("cannot clear " + dir, e);
        }
    }

    private final java.util.concurrent.atomic.AtomicInteger users = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A new user of the local stack's Cognito pool, signed in: a distributor's user, or an admin
     * when {@code distributorId} is null. Tests that lock users out or race take their own users,
     * so the demo users stay usable.
     */
    ApiClient newUser(String distributorId) {
        return newUser(distributorId, true);
    }

    /** Like {@link #newUser(String)}; with {@code emailVerified} false the ID token says {@code email_verified: false}. */
    ApiClient newUser(String distributorId, boolean emailVerified) {
        var info = local.info();
        String username = "t" + users.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6);
        var user = new mx.prepaidkeys.local.DemoData.DemoUser(username, mx.prepaidkeys.local.DemoData.PASSWORD,
                username + "@" + (distributorId == null ? "vendor" : distributorId) + ".example", "Usuario de prueba", "es-MX",
                List.of(distributorId == null ? "admins" : "distributors"), distributorId, null);
        try (var cognito = new mx.prepaidkeys.local.LocalCognito(URI.create(info.cognito().endpoint()))) {
            cognito.ensureUser(pool(), user, emailVerified);
        }
        return ApiClient.signIn(info, username);
    }

    /** The local stack's user pool and app client. */
    mx.prepaidkeys.local.LocalCognito.Pool pool() {
        var info = local.info();
        return new mx.prepaidkeys.local.LocalCognito.Pool(info.cognito().userPoolId(), info.cognito().clientId());
    }

    /** A Cognito client on the local stack's cognito-local. */
    mx.prepaidkeys.local.LocalCognito cognito() {
        return new mx.prepaidkeys.local.LocalCognito(URI.create(local.info().cognito().endpoint()));
    }

    /** The types of a history's entries, in order (each entry's {@code by} has a type of its own). */
    static List<String> eventTypes(JsonNode history) {
        List<String> types = new ArrayList<>();
        history.forEach(event -> types.add(event.path("type").asText()));
        return types;
    }

    /** A claim of a user's ID token, as text ({@code email}, {@code sub}, {@code cognito:username}). */
    static String claimOf(ApiClient user, String claim) {
        String payload = user.token().split("\\.")[1];
        try {
            return JSON.readTree(java.util.Base64.getUrlDecoder().decode(payload)).path(claim).asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The email address of a user made by {@link #newUser}, read from its token. */
    static String emailOf(ApiClient user) {
        String payload = user.token().split("\\.")[1];
        try {
            return JSON.readTree(java.util.Base64.getUrlDecoder().decode(payload)).path("email").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new, empty table with the production layout. */
    String newTable() {
        String name = "keys-" + UUID.randomUUID().toString().substring(0, 8);
        dynamo.createTable(KeyTable.definition(name));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        return name;
    }

    /** The settings a deployed function gets from its environment, as properties. */
    Map<String, Object> properties(String table) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ServiceSettings.TABLE_NAME, table);
        properties.put(ServiceSettings.REGION, "us-east-1");
        properties.put(ServiceSettings.DYNAMODB_ENDPOINT, emulators.dynamoDbEndpoint().toString());
        properties.put(ServiceSettings.SES_ENDPOINT, emulators.sesEndpoint().toString());
        properties.put(ServiceSettings.SENDER_ADDRESS, SENDER);
        properties.put(ServiceSettings.DESK_URL, DESK_URL);
        properties.put(ServiceSettings.KEY_PEPPER, PEPPER);
        return properties;
    }

    ApplicationContextBuilder context(String table) {
        return ApplicationContext.builder().properties(properties(table));
    }

    /** Every email aws-ses-v2-local holds, oldest first. */
    List<JsonNode> emails() {
        JsonNode store = getJson(emulators.sesEndpoint().resolve("/store"));
        List<JsonNode> emails = new ArrayList<>();
        store.path("emails").forEach(emails::add);
        return emails;
    }

    /**
     * The emails sent to one address about one key. Tests share the SES store (and reuse the sample
     * user), so they count only the mail of the key they used.
     */
    List<JsonNode> emailsAbout(String address, String maskedKey) {
        return emails().stream()
                .filter(email -> email.path("destination").path("to").toString().contains(address))
                .filter(email -> email.path("subject").asText().contains(maskedKey))
                .toList();
    }

    /** Every email about one key (its masked form is in the subject), whoever it went to. */
    List<JsonNode> emailsAbout(String maskedKey) {
        return emails().stream().filter(email -> email.path("subject").asText().contains(maskedKey)).toList();
    }

    /**
     * Waits until the notifier has nothing left to send for these keys (each one's email SENT or
     * FAILED), then a little longer, so that a second, duplicate send would have happened too.
     */
    void awaitEmailsSettled(java.util.Collection<String> keyIds, Duration deadline) {
        long until = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < until) {
            boolean settled = keyIds.stream().allMatch(keyId -> {
                String state = emailAttribute(keyId, "state", "");
                return state.equals("SENT") || state.equals("FAILED");
            });
            if (settled) {
                pause(500);
                return;
            }
            pause(50);
        }
        throw new AssertionError("emails still owed after " + deadline + " for " + keyIds);
    }

    /** Waits until the notifier has tried each of these keys' emails at least {@code attempts} times. */
    void awaitEmailAttempts(java.util.Collection<String> keyIds, int attempts, Duration deadline) {
        long until = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < until) {
            if (keyIds.stream().allMatch(keyId -> Integer.parseInt(emailAttribute(keyId, "attempts", "0")) >= attempts)) return;
            pause(50);
        }
        throw new AssertionError("emails not tried " + attempts + " times after " + deadline + " for " + keyIds);
    }

    private String emailAttribute(String keyId, String name, String absent) {
        var item = dynamo.getItem(r -> r.tableName(DevStack.TABLE).consistentRead(true).key(Map.of(
                "PK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("KEY#" + keyId),
                "SK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("EMAIL#ACTIVATION")))).item();
        var value = item == null ? null : item.get(name);
        return value == null ? absent : value.n() != null ? value.n() : value.s();
    }

    /**
     * Waits until the stack's stream consumers have caught up: the notifier has sent what the table
     * owes (no email PENDING or SENDING) and the report's tally has counted every activated key (each
     * has its REPORT#COUNTED marker). A test that compares the whole table before and after must not
     * see the seed's emails go out or its activations counted.
     */
    void awaitStreamIdle(Duration deadline) {
        long until = System.nanoTime() + deadline.toNanos();
        List<String> owed = List.of();
        long uncounted = 0;
        while (System.nanoTime() < until) {
            owed = dynamo.scanPaginator(r -> r.tableName(DevStack.TABLE).consistentRead(true)
                            .filterExpression("SK = :email AND (#state = :pending OR #state = :sending)")
                            .expressionAttributeNames(Map.of("#state", "state"))
                            .expressionAttributeValues(Map.of(":email", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("EMAIL#ACTIVATION"),
                                    ":pending", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("PENDING"),
                                    ":sending", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("SENDING"))))
                    .items().stream().map(item -> item.get("PK").s() + " " + item.get("state").s()
                            + (item.containsKey("claimedAt") ? " claimed " + item.get("claimedAt").s() : "")
                            + (item.containsKey("attempts") ? " attempts " + item.get("attempts").n() : "")
                            + (item.containsKey("lastError") ? " " + item.get("lastError").s() : "")).toList();
            uncounted = uncountedActivations();
            if (owed.isEmpty() && uncounted == 0) return;
            pause(50);
        }
        throw new AssertionError("emails still owed or activations not counted in the report after " + deadline + ": " + owed
                + "; " + uncounted + " activations not counted");
    }

    /** Activated keys without the report's marker: what the tally has still to count. */
    long uncountedActivations() {
        java.util.Set<String> activated = new java.util.HashSet<>();
        java.util.Set<String> counted = new java.util.HashSet<>();
        dynamo.scanPaginator(r -> r.tableName(DevStack.TABLE).consistentRead(true)
                        .filterExpression("(SK = :key AND attribute_exists(activatedAt)) OR SK = :counted")
                        .expressionAttributeValues(Map.of(":key", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("KEY"),
                                ":counted", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("COUNTED"))))
                .items().forEach(item -> {
                    String pk = item.get("PK").s();
                    if (pk.startsWith("KEY#")) activated.add(pk.substring("KEY#".length()));
                    else if (pk.startsWith("REPORT#COUNTED#")) counted.add(pk.substring("REPORT#COUNTED#".length()));
                });
        activated.removeAll(counted);
        return activated.size();
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits (polling, with a deadline) until {@code count} emails about a key reached an address. */
    List<JsonNode> awaitEmails(String address, String maskedKey, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<JsonNode> emails = emailsAbout(address, maskedKey);
        while (emails.size() < count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            emails = emailsAbout(address, maskedKey);
        }
        return emails;
    }

    private JsonNode getJson(URI uri) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
