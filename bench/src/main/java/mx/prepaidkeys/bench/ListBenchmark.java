package mx.prepaidkeys.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mx.prepaidkeys.config.LocalLambdaContext;
import mx.prepaidkeys.domain.Activation;
import mx.prepaidkeys.domain.Assignment;
import mx.prepaidkeys.domain.Client;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.KeyBatch;
import mx.prepaidkeys.domain.KeyHasher;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.domain.UserId;
import mx.prepaidkeys.api.batchlist.ListBatchesHandler;
import mx.prepaidkeys.api.keyfind.FindKeysHandler;
import mx.prepaidkeys.api.list.ListHandler;
import mx.prepaidkeys.local.Emulators;
import mx.prepaidkeys.log.JsonLog;
import mx.prepaidkeys.store.ReadMeter;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * `make bench-list`: "Claves prepago" for a distributor with 100 keys and one with 100,000, side by
 * side in one run, through the real list handler on DynamoDB (dynoxide). Prints the median time and
 * the read capacity of each page, and the ratio 100k/100. The list must not slow down as a
 * distributor's keys pile up: every page is a Query that reads about one page of items. Then the
 * back office's search (by key end, by batch) and batch list on the same table.
 */
public final class ListBenchmark {
    private static final int SMALL = 100;
    private static final int LARGE = 100_000;
    private static final int RUNS = 21;
    private static final Product SAE = new Product("SAE-12M", "Aspel SAE 9.0", "Sistema Administrativo Empresarial", 12,
            new License("2026.1", "Licencia SAE", "https://vendor.example/licencias/sae/2026.1", "Texto"));
    private static final Product COI = new Product("COI-12M", "Aspel COI 10.0", "Contabilidad", 12,
            new License("2026.1", "Licencia COI", "https://vendor.example/licencias/coi/2026.1", "Texto"));

    /** Keys of one batch: a mint's most. */
    private static final int BATCH = 5_000;
    /** The last key seeded for each distributor: the back office looks it up by its last five symbols. */
    private static final Map<String, PrepaidKey> LAST = new HashMap<>();

    private final ListHandler handler;
    private final FindKeysHandler find;
    private final ListBatchesHandler batches;

    private ListBenchmark(ListHandler handler, FindKeysHandler find, ListBatchesHandler batches) {
        this.handler = handler;
        this.find = find;
        this.batches = batches;
    }

    public static void main(String[] args) throws Exception {
        int large = args.length > 0 ? Integer.parseInt(args[0]) : LARGE;
        Path root = Emulators.repositoryRoot();
        Path state = Files.createTempDirectory("bench-list");
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        JsonLog.redirect(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        int[] ports = Emulators.freePorts(2);
        try (Emulators emulators = Emulators.start(root, state, null, ports[0], ports[1])) {
            String table = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            try (DynamoDbClient dynamo = BenchTable.client(emulators)) {
                BenchTable.create(dynamo, table);
            }
            Map<String, Object> properties = BenchTable.settings(emulators, table);
            try (ApplicationContext context = ApplicationContext.builder().properties(properties).start()) {
                KeyRepository repository = context.getBean(KeyRepository.class);
                repository.saveProduct(SAE);
                repository.saveProduct(COI);
                KeyHasher hasher = context.getBean(KeyHasher.class);
                for (var seed : List.of(Map.entry("dist-small", SMALL), Map.entry("dist-large", large))) {
                    long started = System.nanoTime();
                    var stats = seed(repository, hasher, new DistributorId(seed.getKey()), seed.getValue());
                    System.out.printf("seeded %,d keys for %s through the domain in %.1f s (%,d batched writes)%n", seed.getValue(),
                            seed.getKey(), (System.nanoTime() - started) / 1e9, stats.requests());
                }
            }
            var bench = new ListBenchmark(mx.prepaidkeys.config.HandlerContext.inProcess(properties, ListHandler::new),
                    mx.prepaidkeys.config.HandlerContext.inProcess(properties, FindKeysHandler::new),
                    mx.prepaidkeys.config.HandlerContext.inProcess(properties, ListBatchesHandler::new));
            bench.run(large);
            bench.backOffice();
        }
    }

    /** A distributor's keys as years of sales leave them: two products, a third used, some expired, a few void. */
    private static KeyRepository.WriteStats seed(KeyRepository repository, KeyHasher hasher, DistributorId distributorId, int count) {
        SecureRandom random = new SecureRandom();
        Instant start = Instant.parse("2022-01-01T15:00:00Z");
        long span = Duration.between(start, Instant.now().minus(Duration.ofDays(1))).toSeconds();
        List<PrepaidKey> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            PrepaidKeyCode code = PrepaidKeyCode.generate(random);
            Instant activated = start.plusSeconds(span * i / count);
            Product product = i % 2 == 0 ? SAE : COI;
            Instant expires = i % 10 == 0 ? activated.plus(Duration.ofDays(365)) : null;
            PrepaidKey key = PrepaidKey.issued(hasher.hash(code).keyId(), code.masked(), product, batchOf(distributorId.value(), i), expires)
                    .activate(new Activation(distributorId, activated, new UserId("sub-" + (i % 7)),
                            "usuario" + (i % 7) + "@" + distributorId.value() + ".example",
                            "Usuario " + (i % 7), "2026.1", "189.203.45." + (i % 250), "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/142.0"),
                            activated);
            if (i % 3 == 0) {
                key = key.assign(distributorId, new Assignment(new Client("XAXX010101000", "Cliente " + (i % 500) + ", S.A. de C.V."),
                        activated.plusSeconds(3600), new UserId("sub-1"), "usuario1@" + distributorId.value() + ".example", false), activated);
            }
            keys.add(key);
        }
        LAST.put(distributorId.value(), keys.getLast());
        // The batches' own items, for the batch list (their keys are the ones above): the small one COI's, the large ones SAE's.
        Product listed = distributorId.value().equals("dist-small") ? COI : SAE;
        for (int first = 0; first < count; first += BATCH) {
            repository.startMint(new KeyBatch(batchOf(distributorId.value(), first), listed.sku(), listed.name(), Math.min(BATCH, count - first),
                    null, "bench", start.plusSeconds(first), new UserId("bench"), "bench"), new byte[60], 1, Instant.now(), Duration.ofMinutes(1));
            repository.completeMint(batchOf(distributorId.value(), first));
        }
        return repository.importKeys(keys);
    }

    /** Keys are minted 5,000 to a batch: key {@code i}'s batch id (16 base32 symbols). */
    private static String batchOf(String distributor, int i) {
        return (distributor.equals("dist-small") ? "s" : "b") + String.format("%015d", i / BATCH);
    }

    private void run(int large) {
        record Row(String what, Map<String, String> query, int page) {}
        List<Row> rows = List.of(
                new Row("first page (25)", Map.of(), 1),
                new Row("status + product (25)", Map.of("status", "AVAILABLE", "product", "SAE-12M"), 1),
                new Row("page 50 via cursors (2 a page)", Map.of("limit", "2"), 50));
        System.out.println();
        System.out.printf("%-32s %12s %10s %12s %10s %8s %10s%n", "", "100 keys", "RCU", String.format("%,d keys", large), "RCU", "ratio", "RCU ratio");
        for (Row row : rows) {
            Measure small = measure("dist-small", row.query(), row.page());
            Measure big = measure("dist-large", row.query(), row.page());
            System.out.printf("%-32s %9.2f ms %10.1f %9.2f ms %10.1f %7.2fx %9.2fx%n", row.what(), small.millis, small.units, big.millis,
                    big.units, big.millis / small.millis, big.units / small.units);
        }
        System.out.println();
        for (String distributor : List.of("dist-small", "dist-large")) {
            for (boolean gzip : List.of(true, false)) {
                ReadMeter.take();
                long started = System.nanoTime();
                var response = invoke(distributor, Map.of(), true, gzip);
                double seconds = (System.nanoTime() - started) / 1e9;
                var reading = ReadMeter.take();
                long bytes = response.getIsBase64Encoded() ? response.getBody().length() * 3L / 4 : response.getBody().getBytes().length;
                System.out.printf("CSV export, %-10s %-7s %6.2f s, status %d, %,11d bytes in the answer, %,7.0f RCU over %d queries%n",
                        distributor, gzip ? "gzip" : "plain", seconds, response.getStatusCode(), bytes, reading.units(), reading.queries());
            }
        }
    }

    /**
     * The back office's search at 100 and at 100,000 keys: by the last five symbols of one key, a
     * batch's first page (100 keys, 5,000 keys), a batch narrowed to one status and a distributor,
     * and the first page of the batch list (one product's: 1 batch of 100 keys, 10 of the 20 batches of 5,000, counts included).
     */
    private void backOffice() {
        record Row(String what, Map<String, String> small, Map<String, String> big, boolean batchList) {}
        String smallBatch = batchOf("dist-small", 0);
        String bigBatch = batchOf("dist-large", 0);
        List<Row> rows = List.of(
                new Row("find by key end (1 key)", Map.of("suffix", end(LAST.get("dist-small"))), Map.of("suffix", end(LAST.get("dist-large"))), false),
                new Row("find by batch (25)", Map.of("batchId", smallBatch), Map.of("batchId", bigBatch), false),
                new Row("batch + USED + distributor (25)", Map.of("batchId", smallBatch, "status", "USED", "distributorId", "dist-small"),
                        Map.of("batchId", bigBatch, "status", "USED", "distributorId", "dist-large"), false),
                new Row("batch list, first page (10)", Map.of("product", "COI-12M"), Map.of("product", "SAE-12M"), true));
        System.out.println();
        System.out.printf("%-32s %12s %8s %7s %12s %8s %7s%n", "back office", "100 keys", "RCU", "items", "100,000 keys", "RCU", "items");
        for (Row row : rows) {
            Measure small = backOfficeMeasure(row.small(), row.batchList());
            Measure big = backOfficeMeasure(row.big(), row.batchList());
            System.out.printf("%-32s %9.2f ms %8.1f %7d %9.2f ms %8.1f %7d%n", row.what(), small.millis, small.units, small.items, big.millis,
                    big.units, big.items);
        }
    }

    private static String end(PrepaidKey key) {
        return key.maskedKey().substring(key.maskedKey().length() - 5);
    }

    /** The median time of one page of the back office's search or batch list, and what that page read. */
    private Measure backOfficeMeasure(Map<String, String> query, boolean batchList) {
        double[] times = new double[RUNS];
        ReadMeter.Reading reading = null;
        int found = 0;
        for (int i = 0; i < RUNS; i++) {
            ReadMeter.take();
            long started = System.nanoTime();
            var response = batchList ? invokeAdmin(batches, "GET /v1/admin/key-batches", query)
                    : invokeAdmin(find, "GET /v1/admin/prepaid-keys", query);
            times[i] = (System.nanoTime() - started) / 1e6;
            reading = ReadMeter.take();
            if (response.getStatusCode() != 200) throw new IllegalStateException(response.getBody());
            found = response.getBody().split("\"(keyId|batchId)\"", -1).length - 1;
        }
        if (found == 0) throw new IllegalStateException("found nothing for " + query);
        Arrays.sort(times);
        return new Measure(times[RUNS / 2], reading.units(), reading.items());
    }

    private APIGatewayV2HTTPResponse invokeAdmin(mx.prepaidkeys.edge.ApiHandler target, String route, Map<String, String> query) {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRouteKey(route).withRawPath(route.substring(4))
                .withHeaders(Map.of("accept-language", "es-MX")).withQueryStringParameters(new HashMap<>(query))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId(UUID.randomUUID().toString()).withRouteKey(route)
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                        .withClaims(Map.of("sub", "bench-admin", "cognito:username", "admin", "token_use", "id",
                                                "email", "mesa@vendor.example", "email_verified", "true", "cognito:groups", "[admins]"))
                                        .build()).build()).build())
                .build();
        return target.handleRequest(event, new LocalLambdaContext("bench", target.getClass().getSimpleName()));
    }

    private record Measure(double millis, double units, int items) {
        Measure(double millis, double units) {
            this(millis, units, 0);
        }
    }

    /** The median time of fetching one page (after following cursors to it), and the capacity that page read. */
    private Measure measure(String distributor, Map<String, String> query, int page) {
        Map<String, String> params = new HashMap<>(query);
        for (int i = 1; i < page; i++) {
            String cursor = next(invoke(distributor, params, false, false));
            params.put("cursor", cursor);
        }
        invoke(distributor, params, false, false);
        double[] times = new double[RUNS];
        double units = 0;
        for (int i = 0; i < RUNS; i++) {
            ReadMeter.take();
            long started = System.nanoTime();
            var response = invoke(distributor, params, false, false);
            times[i] = (System.nanoTime() - started) / 1e6;
            units = ReadMeter.take().units();
            if (response.getStatusCode() != 200) throw new IllegalStateException(response.getBody());
        }
        Arrays.sort(times);
        return new Measure(times[RUNS / 2], units);
    }

    private static final Pattern NEXT = Pattern.compile("\"nextCursor\":\"([^\"]+)\"");

    private static String next(APIGatewayV2HTTPResponse response) {
        Matcher matcher = NEXT.matcher(response.getBody());
        if (!matcher.find()) throw new IllegalStateException("no next page: " + response.getBody());
        return matcher.group(1);
    }

    private APIGatewayV2HTTPResponse invoke(String distributor, Map<String, String> query, boolean csv, boolean gzip) {
        Map<String, String> headers = new HashMap<>(Map.of("accept-language", "es-MX"));
        if (csv) headers.put("accept", "text/csv");
        if (gzip) headers.put("accept-encoding", "gzip");
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRouteKey("GET /v1/prepaid-keys").withRawPath("/v1/prepaid-keys")
                .withHeaders(headers).withQueryStringParameters(new HashMap<>(query))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId(UUID.randomUUID().toString()).withRouteKey("GET /v1/prepaid-keys")
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                        .withClaims(Map.of("sub", "bench", "cognito:username", "bench", "token_use", "id",
                                                "email", "bench@" + distributor + ".example", "email_verified", "true",
                                                "cognito:groups", "[distributors]", "custom:distributor_id", distributor))
                                        .build()).build()).build())
                .build();
        return handler.handleRequest(event, new LocalLambdaContext("bench", "ListFunction"));
    }
}
