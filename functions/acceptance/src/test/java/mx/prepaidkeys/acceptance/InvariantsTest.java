package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import mx.prepaidkeys.activation.ActivationService;
import mx.prepaidkeys.activation.KeyAssignment;
import mx.prepaidkeys.backoffice.Batches;
import mx.prepaidkeys.backoffice.KeyVoiding;
import mx.prepaidkeys.domain.BackOfficeUser;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.UserId;
import mx.prepaidkeys.store.InvariantReport;
import mx.prepaidkeys.store.InvariantsCli;
import mx.prepaidkeys.store.SentEmail;
import mx.prepaidkeys.store.TableInvariants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The invariant checker on a real table: the service's own use cases write it (mint, confirm by two
 * distributors, assign, void, the notifier sending the emails to the SES emulator), the checker finds
 * it whole and writes nothing; then each kind of damage is done to it by hand, and the checker names
 * each one under its invariant.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvariantsTest {
    private final TestStack stack = TestStack.get();
    private final String table = stack.newTable();
    private final ApplicationContext context = stack.context(table).start();
    private final String norte = "inv-norte-" + UUID.randomUUID().toString().substring(0, 6);
    private final String sur = "inv-sur-" + UUID.randomUUID().toString().substring(0, 6);

    @AfterAll
    void close() {
        context.close();
    }

    @Test
    void a_table_the_service_wrote_holds_every_invariant_and_each_damage_is_named() {
        KeyRepository repository = context.getBean(KeyRepository.class);
        repository.saveProduct(InProcessFixture.PRODUCT);
        BackOfficeUser admin = new BackOfficeUser(new UserId("inv-admin"), "admin");
        var batch = context.getBean(Batches.class).mint(admin, InProcessFixture.PRODUCT.sku(), 8, null, "invariants");
        List<KeyId> keyIds = new ArrayList<>();
        ActivationService activation = context.getBean(ActivationService.class);
        for (int i = 0; i < 6; i++) {
            DistributorUser user = i < 4 ? user(norte, "ana") : user(sur, "beto");
            var confirmed = activation.confirm(user, new ActivationService.ConfirmCommand(batch.keys().get(i).key(), true,
                    InProcessFixture.PRODUCT.license().version(), "127.0.0.1", "invariants-test"));
            keyIds.add(confirmed.key().keyId());
        }
        context.getBean(KeyAssignment.class).assign(user(norte, "ana"), keyIds.get(0), "XAXX010101000", "Mostrador", false, "127.0.0.1");
        context.getBean(KeyVoiding.class).voidKey(admin, keyIds.get(5), "devolución");
        context.getBean(KeyVoiding.class).voidKey(admin, batch.keys().get(7).keyId(), "lote dañado");
        var notifier = InProcessNotifier.on(stack, table, stack.properties(table));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!allSent(keyIds) && System.nanoTime() < deadline) {
            notifier.pollOnce();
            TestStack.pause(50);
        }

        TableChanges changes = new TableChanges(stack, table);
        int mark = changes.mark();
        InvariantReport whole = check();
        assertTrue(whole.ok(), whole.text());
        assertEquals(List.of(), changes.since(mark), "the checker only reads");
        assertEquals(6, whole.result(TableInvariants.EMAIL_PER_ACTIVATION).count("activated"));
        assertEquals(6, whole.result(TableInvariants.EMAIL_SENT_ONCE).count("sent once"), whole.text());
        assertEquals(8, whole.result(TableInvariants.KEY_STATE).count("keys"));
        assertEquals(2, whole.result(TableInvariants.COUNTERS).count("distributors"));
        assertEquals(Map.of(norte, new InvariantReport.Tally(4, 1, 0), sur, new InvariantReport.Tally(2, 0, 1),
                InvariantReport.NO_DISTRIBUTOR, new InvariantReport.Tally(0, 0, 1)), whole.activations().byDistributor(), whole.text());
        assertEquals(Map.of(InProcessFixture.PRODUCT.sku(), new InvariantReport.Tally(6, 1, 2)), whole.activations().byProduct());

        // the damage, one kind per key
        var dynamo = stack.dynamo;
        dynamo.updateItem(r -> r.tableName(table).key(key("COUNTS#" + sur, "TOTAL")).updateExpression("ADD #b :one")
                .expressionAttributeNames(Map.of("#b", "AVAILABLE|SAE-12M|NONE")).expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
        dynamo.deleteItem(r -> r.tableName(table).key(key("KEY#" + keyIds.get(1), "EMAIL#ACTIVATION")));
        sendAgain(keyIds.get(2));
        dynamo.updateItem(r -> r.tableName(table).key(key("KEY#" + keyIds.get(3), "KEY")).updateExpression("SET GSI1PK = :used")
                .expressionAttributeValues(Map.of(":used", AttributeValue.fromS("DIST#" + norte + "#USED"))));
        var events = dynamo.query(r -> r.tableName(table).keyConditionExpression("PK = :pk AND begins_with(SK, :e)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("KEY#" + keyIds.get(4)), ":e", AttributeValue.fromS("EVENT#")))).items();
        dynamo.deleteItem(r -> r.tableName(table).key(key("KEY#" + keyIds.get(4), events.getFirst().get("SK").s())));
        dynamo.putItem(r -> r.tableName(table).item(Map.of("PK", AttributeValue.fromS("IDEMPOTENCY#confirm#inv#held-for-hours"),
                "SK", AttributeValue.fromS("RECORD"), "state", AttributeValue.fromS("IN_PROGRESS"), "requestHash", AttributeValue.fromS("x"),
                "lockedUntil", AttributeValue.fromN(Long.toString(Instant.now().plus(Duration.ofHours(2)).toEpochMilli())),
                "ttl", AttributeValue.fromN(Long.toString(Instant.now().plus(Duration.ofHours(23)).getEpochSecond())))));

        InvariantReport damaged = check();
        assertFalse(damaged.ok());
        assertEquals(List.of("COUNTS#" + sur + "/TOTAL AVAILABLE|SAE-12M|NONE: counter 2, keys 1"),
                damaged.result(TableInvariants.COUNTERS).violations(), damaged.text());
        assertEquals(1, damaged.result(TableInvariants.EMAIL_PER_ACTIVATION).count("lost"), damaged.text());
        assertNamed(damaged, TableInvariants.EMAIL_PER_ACTIVATION, keyIds.get(1), "the confirmation email is lost");
        assertNamed(damaged, TableInvariants.EMAIL_SENT_ONCE, keyIds.get(2), "SENT email sent 2 times");
        assertNamed(damaged, TableInvariants.KEY_STATE, keyIds.get(3), "GSI1PK is DIST#" + norte + "#USED");
        assertNamed(damaged, TableInvariants.HISTORY, keyIds.get(4), "without its ACTIVATED entry");
        assertEquals(1, damaged.result(TableInvariants.IDEMPOTENCY).count("stuck"), damaged.text());
        assertTrue(damaged.result(TableInvariants.BATCHES).ok(), damaged.text());
        assertTrue(damaged.result(TableInvariants.EMAIL_ACCOUNTED).ok(), damaged.text());
        assertEquals(List.of(), changes.since(mark).stream().filter(c -> !c.contains("COUNTS#") && !c.contains("KEY#")
                && !c.contains("IDEMPOTENCY#")).toList(), "only the test's own damage was written");
    }

    private InvariantReport check() {
        // the SES emulator is shared by every test: messages of other tables count as "not this table's"
        return new TableInvariants().check(stack.dynamo, table, () -> InvariantsCli.sentEmails(stack.emulators.sesEndpoint().resolve("/store")),
                Instant.now());
    }

    /** The same message SES already took for a key, once more: what a second send would leave. */
    private void sendAgain(KeyId keyId) {
        String messageId = stack.dynamo.getItem(r -> r.tableName(table).key(key("KEY#" + keyId, "EMAIL#ACTIVATION"))).item().get("messageId").s();
        SentEmail first = InvariantsCli.sentEmails(stack.emulators.sesEndpoint().resolve("/store")).stream()
                .filter(m -> m.messageId().equals(messageId)).findFirst().orElseThrow();
        try (SesV2Client ses = SesV2Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(stack.emulators.sesEndpoint()).build()) {
            ses.sendEmail(r -> r.fromEmailAddress(TestStack.SENDER).destination(d -> d.toAddresses(first.to()))
                    .content(c -> c.simple(m -> m.subject(s -> s.data(first.subject())).body(b -> b.text(t -> t.data("again"))))));
        }
    }

    private boolean allSent(List<KeyId> keyIds) {
        return keyIds.stream().allMatch(keyId -> {
            var item = stack.dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(key("KEY#" + keyId, "EMAIL#ACTIVATION"))).item();
            return item != null && item.containsKey("state") && item.get("state").s().equals("SENT");
        });
    }

    private static void assertNamed(InvariantReport report, String invariant, KeyId keyId, String what) {
        var violations = report.result(invariant).violations();
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("key " + keyId + ":") && v.contains(what)),
                invariant + " should name key " + keyId + " (" + what + "): " + violations + "\n" + report.text());
    }

    private static DistributorUser user(String distributor, String name) {
        return new DistributorUser(new UserId("sub-" + name + "-" + distributor), name, name + "@" + distributor + ".example", true, null,
                new DistributorId(distributor), "es-MX");
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS(sk));
    }
}
