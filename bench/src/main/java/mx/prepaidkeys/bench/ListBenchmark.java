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
import mx.prepaidkeys.domain.KeyHasher;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.domain.UserId;
import mx.prepaidkeys.api.list.ListHandler;
import mx.prepaidkeys.local.Emulators;
import mx.prepaidkeys.log.JsonLog;
import mx.prepaidkeys.store.ReadMeter;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * `make bench-list`: "Claves prepago" for a distributor with 100 keys and one with 100,000, side by
 * side in one run, through the real list handler on DynamoDB (dynoxide). Prints the median time and
 * the read capacity of each page, and the ratio 100k/100. The list must not slow down as a
 * distributor's keys pile up: every page is a Query that reads about one page of items.
 */
public final class ListBenchmark {
    private static final int SMALL = 100;
    private static final int LARGE = 100_000;
    private static final int RUNS = 21;
    private static final Product SAE = new Product("SAE-12M", "Aspel SAE 9.0", "Sistema Administrativo Empresarial", 12,
            new License("2026.1", "Licencia SAE", "https://vendor.example/licencias/sae/2026.1", "Texto"));
    private static final Product COI = new Product("COI-12M", "Aspel COI 10.0", "Contabilidad", 12,
            new License("2026.1", "Licencia COI", "https://vendor.example/licencias/coi/2026.1", "Texto"));

    private final ListHandler handler;

    private ListBenchmark(ListHandler handler) {
        this.handler = handler;
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
            new ListBenchmark(mx.prepaidkeys.config.HandlerContext.inProcess(properties, ListHandler::new)).run(large);
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
            PrepaidKey key = PrepaidKey.issued(hasher.hash(code).keyId(), code.masked(), product, null, expires)
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
        return repository.importKeys(keys);
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

    private record Measure(double millis, double units) {}

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
