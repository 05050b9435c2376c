package mx.prepaidkeys.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mx.prepaidkeys.activation.ActivationService;
import mx.prepaidkeys.activation.AttemptGuard;
import mx.prepaidkeys.activation.KeyAssignment;
import mx.prepaidkeys.activation.KeyReassignment;
import mx.prepaidkeys.clients.ClientBook;
import mx.prepaidkeys.domain.ClientWords;
import mx.prepaidkeys.activation.KeyHistory;
import mx.prepaidkeys.activation.KeyListing;
import mx.prepaidkeys.activation.PageCursor;
import mx.prepaidkeys.backoffice.ActivationReport;
import mx.prepaidkeys.backoffice.AuditListing;
import mx.prepaidkeys.backoffice.BatchListing;
import mx.prepaidkeys.backoffice.Batches;
import mx.prepaidkeys.backoffice.Catalogue;
import mx.prepaidkeys.backoffice.DistributorAccounts;
import mx.prepaidkeys.backoffice.DistributorListing;
import mx.prepaidkeys.backoffice.EmailResending;
import mx.prepaidkeys.backoffice.KeyFinder;
import mx.prepaidkeys.backoffice.KeyVoiding;
import mx.prepaidkeys.backoffice.Lockouts;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.directory.CognitoDistributorUsers;
import mx.prepaidkeys.domain.ActivationTallies;
import mx.prepaidkeys.domain.BackOfficeUser;
import mx.prepaidkeys.domain.Distributor;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.UserId;
import mx.prepaidkeys.domain.KeyFilter;
import mx.prepaidkeys.domain.KeyHasher;
import mx.prepaidkeys.domain.KeySearch;
import mx.prepaidkeys.domain.KeySort;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.mail.EmailDelivery;
import mx.prepaidkeys.mail.SesConfirmationMailer;
import mx.prepaidkeys.store.DynamoActivationTallies;
import mx.prepaidkeys.store.DynamoAuditLog;
import mx.prepaidkeys.store.DynamoDistributors;
import mx.prepaidkeys.store.DynamoEmailOutbox;
import mx.prepaidkeys.store.DynamoFailedAttempts;
import mx.prepaidkeys.store.DynamoKeyRepository;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The floor each function is measured against: a plain Java handler per function, no framework,
 * no dependency injection, no JSON library. It builds the same SDK clients the same way and makes
 * the same DynamoDB and SES calls for the operation (it calls the same core code, wired by hand),
 * reads its input with a regular expression and writes a minimal answer by hand. What the real
 * function spends beyond it is what Micronaut, the edge (strict JSON, problem+json, idempotency,
 * logging) and serialisation cost.
 */
final class Floors {
    private Floors() {}

    static Object create(String logicalId) {
        Env env = new Env();
        // What the function's own init builds (Micronaut injects it into the handler), built here at init too.
        switch (logicalId) {
            case "CaptureFunction", "ConfirmFunction" -> env.activation();
            case "ListFunction" -> env.listing();
            case "HistoryFunction", "AdminKeyFunction" -> env.history();
            case "AssignFunction" -> env.assignment();
            case "ReassignFunction" -> env.reassignment();
            case "ListClientsFunction", "GetClientFunction", "SaveClientFunction", "ClientKeysFunction" -> env.clientBook();
            case "SaveProductFunction", "ListProductsFunction" -> env.catalogue();
            case "MintBatchFunction", "GetBatchFunction", "VoidBatchFunction" -> env.batches();
            case "FindKeysFunction" -> env.finder();
            case "ListBatchesFunction" -> env.batchListing();
            case "ListDistributorsFunction" -> env.distributorListing();
            case "GetDistributorFunction", "SaveDistributorFunction" -> env.accounts();
            case "AccountFunction" -> env.distributors();
            case "ListLockoutsFunction", "LiftLockoutFunction" -> env.lockouts();
            case "ListDistributorUsersFunction" -> env.distributorUsers();
            case "ListAuditFunction" -> env.auditListing();
            case "ReportActivationsFunction", "ReportTallyFunction" -> env.activationReport();
            case "VoidKeyFunction" -> env.voiding();
            case "ResendEmailFunction" -> env.resending();
            case "NotifierFunction" -> env.delivery();
            default -> { }
        }
        return switch (logicalId) {
            case "CaptureFunction" -> api(e -> {
                var captured = env.activation().capture(env.distributor(e), field(e.getBody(), "key"));
                return "{\"maskedKey\":\"" + captured.key().maskedKey() + "\",\"product\":\"" + captured.product().sku()
                        + "\",\"license\":\"" + captured.product().license().version() + "\"}";
            });
            case "ConfirmFunction" -> api(e -> {
                var confirmed = env.activation().confirm(env.distributor(e), new ActivationService.ConfirmCommand(field(e.getBody(), "key"),
                        true, field(e.getBody(), "licenseVersion"), "127.0.0.1", "floor"));
                return "{\"keyId\":\"" + confirmed.key().keyId().value() + "\",\"status\":\"" + confirmed.key().storedStatus() + "\"}";
            });
            case "ListFunction" -> api(e -> {
                var page = env.listing().list(env.distributor(e), new KeyListing.Query(
                        new KeyFilter(KeyListing.VISIBLE, null, null, null, null, null, null), KeySort.NEWEST_FIRST, 25, null));
                StringBuilder out = new StringBuilder("{\"items\":[");
                page.items().forEach(k -> out.append("{\"keyId\":\"").append(k.keyId().value()).append("\",\"status\":\"")
                        .append(k.status(page.at())).append("\"},"));
                return out.append("]}").toString();
            });
            case "HistoryFunction" -> api(e -> {
                var found = env.history().forDistributor(env.distributor(e), keyId(e));
                return "{\"keyId\":\"" + found.key().keyId().value() + "\",\"events\":" + found.events().size() + "}";
            });
            case "AssignFunction" -> api(e -> {
                var assigned = env.assignment().assign(env.distributor(e), keyId(e), field(e.getBody(), "rfc"),
                        field(e.getBody(), "name"), false, "127.0.0.1");
                return "{\"keyId\":\"" + assigned.keyId().value() + "\",\"status\":\"" + assigned.storedStatus() + "\"}";
            });
            case "ReassignFunction" -> api(e -> {
                var reassigned = env.reassignment().reassign(env.distributor(e), keyId(e), field(e.getBody(), "rfc"),
                        field(e.getBody(), "name"), false, field(e.getBody(), "reason"), "127.0.0.1");
                return "{\"keyId\":\"" + reassigned.keyId().value() + "\",\"client\":\"" + reassigned.assignment().client().rfc() + "\"}";
            });
            case "ListClientsFunction" -> api(e -> {
                String q = e.getQueryStringParameters() == null ? null : e.getQueryStringParameters().get("q");
                var page = env.clientBook().list(env.distributor(e), q == null ? List.of() : ClientWords.prefixes(q),
                        ClientBook.DEFAULT_LIMIT, null);
                StringBuilder out = new StringBuilder("{\"items\":[");
                page.clients().forEach(c -> out.append("{\"rfc\":\"").append(c.rfc()).append("\",\"keyCount\":").append(c.keyCount()).append("},"));
                return out.append("]}").toString();
            });
            case "GetClientFunction" -> api(e -> {
                var client = env.clientBook().get(env.distributor(e), e.getPathParameters().get("rfc"));
                return "{\"rfc\":\"" + client.rfc() + "\",\"keyCount\":" + client.keyCount() + "}";
            });
            case "SaveClientFunction" -> api(e -> {
                var client = env.clientBook().update(env.distributor(e), e.getPathParameters().get("rfc"), field(e.getBody(), "name"),
                        field(e.getBody(), "email"), field(e.getBody(), "notes"));
                return "{\"rfc\":\"" + client.rfc() + "\",\"name\":\"" + client.name() + "\"}";
            });
            case "ClientKeysFunction" -> api(e -> {
                var page = env.clientBook().keys(env.distributor(e), e.getPathParameters().get("rfc"), ClientBook.DEFAULT_LIMIT, null);
                StringBuilder out = new StringBuilder("{\"items\":[");
                page.keys().forEach(k -> out.append("{\"keyId\":\"").append(k.key().keyId().value()).append("\"},"));
                return out.append("]}").toString();
            });
            case "SaveProductFunction" -> api(e -> {
                String body = e.getBody();
                Product product = new Product(e.getPathParameters().get("sku"), field(body, "name"), field(body, "description"),
                        Integer.parseInt(number(body, "termMonths")), new License(field(body, "version"), field(body, "title"),
                        field(body, "url"), field(body, "text")));
                return "{\"created\":" + env.catalogue().save(product) + "}";
            });
            case "ListProductsFunction" -> api(e -> "{\"items\":" + env.catalogue().list().size() + "}");
            case "MintBatchFunction" -> api(e -> {
                // the same retriable mint as the function's (seed, waves, progress), named by the request's key
                var minted = env.batches().mint(env.admin(e), field(e.getBody(), "productSku"), Integer.parseInt(number(e.getBody(), "quantity")),
                        null, field(e.getBody(), "note"), "floor#" + e.getHeaders().get("idempotency-key"), java.time.Instant.MAX);
                StringBuilder out = new StringBuilder("{\"batchId\":\"").append(minted.batch().batchId()).append("\",\"keys\":[");
                minted.keys().forEach(k -> out.append("{\"keyId\":\"").append(k.keyId().value()).append("\",\"key\":\"").append(k.key())
                        .append("\"},"));
                return out.append("]}").toString();
            });
            case "GetBatchFunction" -> api(e -> {
                var counted = env.batches().counted(e.getPathParameters().get("batchId"));
                return "{\"batchId\":\"" + counted.batch().batchId() + "\",\"counts\":\"" + counted.counts() + "\"}";
            });
            case "VoidKeyFunction" -> api(e -> {
                var voided = env.voiding().voidKey(env.admin(e), keyId(e), field(e.getBody(), "reason"));
                return "{\"keyId\":\"" + voided.keyId().value() + "\",\"status\":\"" + voided.storedStatus() + "\"}";
            });
            case "VoidBatchFunction" -> api(e -> {
                String batchId = e.getPathParameters().get("batchId");
                var tally = env.batches().voidAll(env.admin(e), batchId, field(e.getBody(), "reason"));
                var counted = env.batches().counted(batchId);
                return "{\"voided\":" + tally.voided() + ",\"counts\":\"" + counted.counts() + "\"}";
            });
            case "AdminKeyFunction" -> api(e -> {
                var found = env.history().forBackOffice(keyId(e));
                return "{\"keyId\":\"" + found.key().keyId().value() + "\",\"events\":" + found.events().size() + "}";
            });
            case "FindKeysFunction" -> api(e -> {
                var query = e.getQueryStringParameters();
                var page = env.finder().find(new KeyFinder.Query(new KeySearch(null, query.get("batchId"), null, null, KeySearch.ALL, null),
                        KeyFinder.DEFAULT_LIMIT, null));
                StringBuilder out = new StringBuilder("{\"items\":[");
                page.items().forEach(k -> out.append("{\"keyId\":\"").append(k.keyId()).append("\",\"maskedKey\":\"").append(k.maskedKey())
                        .append("\",\"status\":\"").append(k.status(page.at())).append("\"},"));
                return out.append("]}").toString();
            });
            case "ListBatchesFunction" -> api(e -> {
                var page = env.batchListing().list(null, BatchListing.DEFAULT_LIMIT, null);
                StringBuilder out = new StringBuilder("{\"items\":[");
                page.batches().forEach(b -> out.append("{\"batchId\":\"").append(b.batch().batchId()).append("\",\"counts\":\"")
                        .append(b.counts()).append("\"},"));
                return out.append("]}").toString();
            });
            case "ListDistributorsFunction" -> api(e -> {
                var page = env.distributorListing().list(DistributorListing.DEFAULT_LIMIT, null);
                StringBuilder out = new StringBuilder("{\"items\":[");
                page.distributors().forEach(d -> out.append("{\"distributorId\":\"").append(d.id().value()).append("\",\"status\":\"")
                        .append(d.status()).append("\"},"));
                return out.append("]}").toString();
            });
            case "GetDistributorFunction" -> api(e -> {
                var found = env.accounts().find(new DistributorId(e.getPathParameters().get("distributorId")));
                return "{\"distributorId\":\"" + found.id().value() + "\",\"status\":\"" + found.status() + "\"}";
            });
            case "SaveDistributorFunction" -> api(e -> {
                String body = e.getBody();
                var saved = env.accounts().save(env.admin(e), new DistributorId(e.getPathParameters().get("distributorId")),
                        new DistributorAccounts.Changes(field(body, "name"), field(body, "rfc"), field(body, "contactEmail"),
                                Distributor.Status.valueOf(field(body, "status"))));
                return "{\"created\":" + saved.created() + "}";
            });
            case "AccountFunction" -> api(e -> {
                var account = env.distributors().find(env.distributor(e).distributorId());
                return "{\"name\":\"" + account.map(Distributor::name).orElse("") + "\"}";
            });
            case "ListDistributorUsersFunction" -> api(e -> {
                StringBuilder out = new StringBuilder("{\"items\":[");
                env.distributorUsers().of(new DistributorId(e.getPathParameters().get("distributorId")))
                        .forEach(u -> out.append("{\"username\":\"").append(u.username()).append("\"},"));
                return out.append("]}").toString();
            });
            case "ListAuditFunction" -> api(e -> {
                var to = java.time.Instant.now();
                var page = env.auditListing().list(to.minus(java.time.Duration.ofDays(30)), to, null, "BATCH_MINTED", 20, null);
                StringBuilder out = new StringBuilder("{\"items\":[");
                page.entries().forEach(a -> out.append("{\"action\":\"").append(a.action()).append("\",\"target\":\"")
                        .append(a.target()).append("\"},"));
                return out.append("]}").toString();
            });
            case "ReportActivationsFunction" -> api(e -> {
                var query = e.getQueryStringParameters();
                var report = env.activationReport().report(java.time.LocalDate.parse(query.get("from")), java.time.LocalDate.parse(query.get("to")),
                        ActivationReport.GroupBy.valueOf(query.get("groupBy").toUpperCase(java.util.Locale.ROOT)));
                StringBuilder out = new StringBuilder("{\"rows\":[");
                report.rows().forEach(r -> out.append("{\"key\":\"").append(r.key()).append("\",\"activations\":").append(r.activations())
                        .append("},"));
                return out.append("],\"total\":").append(report.total()).append('}').toString();
            });
            case "ListLockoutsFunction" -> api(e -> {
                StringBuilder out = new StringBuilder("{\"items\":[");
                env.lockouts().current().forEach(l -> out.append("{\"scope\":\"").append(l.scope()).append("\",\"lockedUntil\":\"")
                        .append(l.until()).append("\"},"));
                return out.append("]}").toString();
            });
            case "LiftLockoutFunction" -> api(e -> {
                env.lockouts().lift(env.admin(e), new UserId(e.getPathParameters().get("userId")));
                return "";
            });
            case "ResendEmailFunction" -> api(e -> {
                var resend = env.resending().resend(env.admin(e), keyId(e));
                return "{\"emailState\":\"" + resend.state() + "\",\"queued\":" + resend.queued() + "}";
            });
            case "NotifierFunction" -> (RequestHandler<DynamodbEvent, StreamsEventResponse>) (event, context) -> {
                for (var record : event.getRecords()) {
                    KeyId keyId = new KeyId(record.getDynamodb().getKeys().get("PK").getS().substring("KEY#".length()));
                    env.delivery().deliver(keyId, letter -> { });
                }
                return StreamsEventResponse.builder().build();
            };
            case "ReportTallyFunction" -> (RequestHandler<DynamodbEvent, StreamsEventResponse>) (event, context) -> {
                for (var record : event.getRecords()) {
                    var image = record.getDynamodb().getNewImage();
                    env.activationReport().tally(new ActivationTallies.Activated(
                            new KeyId(record.getDynamodb().getKeys().get("PK").getS().substring("KEY#".length())),
                            java.time.LocalDate.ofInstant(java.time.Instant.parse(image.get("activatedAt").getS()), mx.prepaidkeys.domain.Timestamps.MEXICO_CITY), new DistributorId(image.get("distributorId").getS()),
                            image.get("productSku").getS()));
                }
                return StreamsEventResponse.builder().build();
            };
            default -> throw new IllegalArgumentException("no floor for " + logicalId);
        };
    }

    private static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api(Function<APIGatewayV2HTTPEvent, String> body) {
        return (APIGatewayV2HTTPEvent event, Context context) -> {
            try {
                String json = body.apply(event);
                return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withHeaders(Map.of("content-type", "application/json"))
                        .withBody(json).build();
            } catch (mx.prepaidkeys.domain.DomainException refused) {
                return APIGatewayV2HTTPResponse.builder().withStatusCode(409).withBody("{\"code\":\"" + refused.getMessage() + "\"}").build();
            }
        };
    }

    /** The key id in the event's path, as the function reads it ({@code Ids.keyId}, here without the 404 for a malformed one). */
    private static KeyId keyId(APIGatewayV2HTTPEvent event) {
        return new KeyId(event.getPathParameters().get("keyId"));
    }

    /** A string member of the body, with the escapes JSON allows in it undone. */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        if (!m.find()) return null;
        String raw = m.group(1);
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\' || i + 1 == raw.length()) {
                out.append(c);
                continue;
            }
            char e = raw.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'u' -> {
                    out.append((char) Integer.parseInt(raw.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }

    private static String number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? m.group(1) : "0";
    }

    /** The objects a function needs, built by hand from the environment, each when first asked for. */
    private static final class Env {
        private final ServiceSettings settings = new ServiceSettings(System.getenv("TABLE_NAME"), "us-east-1",
                optional("DYNAMODB_ENDPOINT").map(URI::create), optional("SES_ENDPOINT").map(URI::create),
                optional("SENDER_ADDRESS"), optional("DESK_URL"), optional("COGNITO_ENDPOINT").map(URI::create), optional("USER_POOL_ID"),
                ServiceSettings.SdkBudget.DEFAULT);
        private final Clock clock = Clock.systemUTC();
        private DynamoDbClient dynamo;
        private KeyHasher hasher;
        private DynamoKeyRepository keys;
        private DynamoDistributors distributors;
        private DistributorAccounts accounts;
        private DistributorListing distributorListing;
        private Lockouts lockouts;
        private AuditListing auditListing;
        private ActivationReport activationReport;
        private CognitoDistributorUsers distributorUsers;
        private EmailDelivery delivery;
        private EmailResending resending;
        private KeyVoiding voiding;
        private Batches batches;
        private Catalogue catalogue;
        private KeyAssignment assignment;
        private KeyHistory history;
        private KeyListing listing;
        private KeyFinder finder;
        private BatchListing batchListing;
        private ActivationService activation;
        private mx.prepaidkeys.store.DynamoClientDirectory clients;
        private KeyReassignment reassignment;
        private ClientBook clientBook;

        private static Optional<String> optional(String variable) {
            return Optional.ofNullable(System.getenv(variable)).filter(s -> !s.isBlank());
        }

        DynamoDbClient dynamo() {
            if (dynamo == null) {
                var builder = DynamoDbClient.builder().httpClient(mx.prepaidkeys.config.HttpClients.requestPath())
                        .overrideConfiguration(mx.prepaidkeys.config.CoreFactory.budget(settings)).region(Region.of(settings.region()));
                settings.dynamoDbEndpoint().ifPresent(builder::endpointOverride);
                dynamo = builder.build();
            }
            return dynamo;
        }

        KeyHasher hasher() {
            if (hasher == null) hasher = new KeyHasher(System.getenv("KEY_PEPPER").getBytes(StandardCharsets.UTF_8));
            return hasher;
        }

        DynamoDistributors distributors() {
            if (distributors == null) distributors = new DynamoDistributors(dynamo(), settings);
            return distributors;
        }

        DistributorAccounts accounts() {
            if (accounts == null) accounts = new DistributorAccounts(distributors(), clock);
            return accounts;
        }

        CognitoDistributorUsers distributorUsers() {
            if (distributorUsers == null) {
                var builder = software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient.builder()
                        .httpClient(mx.prepaidkeys.config.HttpClients.requestPath())
                        .overrideConfiguration(mx.prepaidkeys.config.CoreFactory.budget(settings)).region(Region.of(settings.region()));
                settings.cognitoEndpoint().ifPresent(builder::endpointOverride);
                distributorUsers = new CognitoDistributorUsers(builder.build(), settings);
            }
            return distributorUsers;
        }

        ActivationReport activationReport() {
            if (activationReport == null) activationReport = new ActivationReport(new DynamoActivationTallies(dynamo(), settings));
            return activationReport;
        }

        AuditListing auditListing() {
            if (auditListing == null) auditListing = new AuditListing(new DynamoAuditLog(dynamo(), settings), new PageCursor(hasher()), clock);
            return auditListing;
        }

        Lockouts lockouts() {
            if (lockouts == null) lockouts = new Lockouts(new DynamoFailedAttempts(dynamo(), settings), clock);
            return lockouts;
        }

        DistributorListing distributorListing() {
            if (distributorListing == null) distributorListing = new DistributorListing(distributors(), new PageCursor(hasher()), clock);
            return distributorListing;
        }

        mx.prepaidkeys.store.DynamoClientDirectory clients() {
            if (clients == null) clients = new mx.prepaidkeys.store.DynamoClientDirectory(dynamo(), settings);
            return clients;
        }

        DynamoKeyRepository keys() {
            if (keys == null) keys = new DynamoKeyRepository(dynamo(), settings);
            return keys;
        }

        ActivationService activation() {
            if (activation == null) activation = new ActivationService(keys(), hasher(), new AttemptGuard(new DynamoFailedAttempts(dynamo(), settings), clock),
                    distributors(), clock);
            return activation;
        }

        KeyListing listing() {
            if (listing == null) listing = new KeyListing(keys(), new PageCursor(hasher()), clock);
            return listing;
        }

        KeyFinder finder() {
            if (finder == null) finder = new KeyFinder(keys(), new PageCursor(hasher()), clock);
            return finder;
        }

        BatchListing batchListing() {
            if (batchListing == null) batchListing = new BatchListing(keys(), new PageCursor(hasher()), clock);
            return batchListing;
        }

        KeyHistory history() {
            if (history == null) history = new KeyHistory(keys(), clock);
            return history;
        }

        KeyAssignment assignment() {
            if (assignment == null) assignment = new KeyAssignment(keys(), distributors(), clients(), clock);
            return assignment;
        }

        KeyReassignment reassignment() {
            if (reassignment == null) reassignment = new KeyReassignment(keys(), distributors(), clients(), clock);
            return reassignment;
        }

        ClientBook clientBook() {
            if (clientBook == null) clientBook = new ClientBook(clients(), keys(), () -> new PageCursor(hasher()), clock);
            return clientBook;
        }

        Catalogue catalogue() {
            if (catalogue == null) catalogue = new Catalogue(keys());
            return catalogue;
        }

        Batches batches() {
            if (batches == null) batches = new Batches(keys(), this::hasher, clock);
            return batches;
        }

        KeyVoiding voiding() {
            if (voiding == null) voiding = new KeyVoiding(keys(), clock);
            return voiding;
        }

        EmailResending resending() {
            if (resending == null) resending = new EmailResending(keys(), new DynamoEmailOutbox(dynamo(), settings), clock);
            return resending;
        }

        EmailDelivery delivery() {
            if (delivery != null) return delivery;
            var ses = SesV2Client.builder().httpClient(mx.prepaidkeys.config.HttpClients.requestPath())
                    .overrideConfiguration(mx.prepaidkeys.config.CoreFactory.budget(settings)).region(Region.of(settings.region()));
            settings.sesEndpoint().ifPresent(ses::endpointOverride);
            delivery = new EmailDelivery(new DynamoEmailOutbox(dynamo(), settings), new SesConfirmationMailer(ses.build(), settings), clock,
                    EmailDelivery.MAX_ATTEMPTS, 100);
            return delivery;
        }

        DistributorUser distributor(APIGatewayV2HTTPEvent event) {
            Map<String, String> claims = event.getRequestContext().getAuthorizer().getJwt().getClaims();
            return new DistributorUser(new UserId(claims.get("sub")), claims.get("email"), claims.get("name"),
                    new DistributorId(claims.get("custom:distributor_id")), claims.get("locale"));
        }

        BackOfficeUser admin(APIGatewayV2HTTPEvent event) {
            Map<String, String> claims = event.getRequestContext().getAuthorizer().getJwt().getClaims();
            return new BackOfficeUser(new UserId(claims.get("sub")), claims.get("email"));
        }
    }
}
