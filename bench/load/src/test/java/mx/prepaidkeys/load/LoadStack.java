package mx.prepaidkeys.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.local.DemoData;
import mx.prepaidkeys.local.DevStack;
import mx.prepaidkeys.local.LocalCognito;
import mx.prepaidkeys.store.InvariantReport;
import mx.prepaidkeys.store.InvariantsCli;
import mx.prepaidkeys.store.SentEmail;
import mx.prepaidkeys.store.TableInvariants;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A fresh local stack for one run, started the way the tests start theirs (free loopback ports, a
 * state directory of its own under target/), with the run's people in its Cognito pool and their
 * keys minted by the back office through the API, as the business gets them.
 */
final class LoadStack implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BATCH = 5_000;

    /** How old a PENDING email or a MINTING batch may be in this run's checks: minutes-long runs, not the 15 min ops allow. */
    static final Duration STUCK_AFTER = Duration.ofSeconds(90);

    final DevStack stack;
    final KeyPools pools = new KeyPools();
    private final Path stateDir;
    final DynamoDbClient dynamo;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Every message the SES emulator has held during the run: it forgets them when it restarts. */
    private final Map<String, SentEmail> mail = new LinkedHashMap<>();
    private String largestMint = "not measured";
    /** Instances whose warming requests answered 5xx three times (their cold start ran past the timeout). */
    final Map<String, Integer> coldAtStart = new java.util.TreeMap<>();

    private LoadStack(DevStack stack, Path stateDir) {
        this.stack = stack;
        this.stateDir = stateDir;
        this.dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of(DevStack.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(stack.emulators().dynamoDbEndpoint())
                // the checker's Scan may meet a DynamoDB that a fault has just paused: wait for it, within reason
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(60)))
                .build();
    }

    /** @param options free ports (chosen before Gatling needs the API's) and the run's state directory, emptied first */
    static LoadStack start(LoadSettings settings, DevStack.Options options) {
        Path root = options.root();
        Path state = options.stateDir();
        deleteRecursively(state);
        long started = System.nanoTime();
        DevStack stack = DevStack.start(options);
        LoadStack load = new LoadStack(stack, state);
        try {
            log("local stack up in %.1f s: API %s, DynamoDB %s, SES %s (state in %s)", (System.nanoTime() - started) / 1e9,
                    stack.info().apiUrl(), stack.emulators().dynamoDbEndpoint(), stack.emulators().sesEndpoint(), root.relativize(state));
            load.signIn(settings);
            load.mintKeys(settings);
            load.warmUp(options.concurrency());
            // once: the chaos run has its own cut-off mint
            if (!settings.chaos()) load.mintLargest();
        } catch (RuntimeException e) {
            load.close();
            throw e;
        }
        return load;
    }

    /** The distributors' people and the back office's, in the stack's Cognito pool, signed in (ID tokens last an hour). */
    private void signIn(LoadSettings settings) {
        long started = System.nanoTime();
        var info = stack.info();
        var pool = new LocalCognito.Pool(info.cognito().userPoolId(), info.cognito().clientId());
        try (LocalCognito cognito = new LocalCognito(URI.create(info.cognito().endpoint()))) {
            for (int d = 1; d <= settings.distributors(); d++) {
                String distributor = String.format(Locale.ROOT, "load-d%02d", d);
                for (int u = 1; u <= settings.usersEach(); u++) {
                    String username = distributor + "-u" + u;
                    String email = "u" + u + "@" + distributor + ".example";
                    cognito.ensureUser(pool, new DemoData.DemoUser(username, DemoData.PASSWORD, email, "Usuario " + u, "es-MX",
                            List.of("distributors"), distributor, "Distribuidora " + d));
                    pools.addUser(new KeyPools.User(username, distributor, email, cognito.idToken(pool, username, DemoData.PASSWORD)));
                }
            }
            cognito.ensureUser(pool, new DemoData.DemoUser("load-admin", DemoData.PASSWORD, "mesa@vendor.example", "Mesa de servicios",
                    "es-MX", List.of("admins"), null, null));
            pools.admin(new KeyPools.User("load-admin", null, "mesa@vendor.example", cognito.idToken(pool, "load-admin", DemoData.PASSWORD)));
        }
        log("%d users of %d distributors and the back office signed in (%.1f s)", pools.users().size(), pools.distributors().size(),
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * The keys the distributors will confirm: one batch per product, minted by the back office
     * through the API (each with its Idempotency-Key), dealt to the distributors in turn. Sized for
     * the run's confirms with room to spare; the promotion product expires in six months, so the
     * expiry counters move too.
     */
    private void mintKeys(LoadSettings settings) {
        long needed = Math.round(settings.expectedActions() * BusinessDaySimulation.CONFIRMING_SHARE * 1.5) + 10L * settings.distributors();
        long started = System.nanoTime();
        List<KeyPools.Fresh> keys = new ArrayList<>();
        List<Product> products = DemoData.PRODUCTS;
        for (Product product : products) {
            long quantity = (needed + products.size() - 1) / products.size();
            String expiresAt = product.sku().startsWith("NOI") ? Instant.now().plus(Duration.ofDays(180)).toString() : null;
            while (quantity > 0) {
                long now = Math.min(MAX_BATCH, quantity);
                quantity -= now;
                JsonNode batch = mint(product.sku(), now, expiresAt, "carga: pedido de fin de mes");
                batch.path("keys").forEach(k -> keys.add(new KeyPools.Fresh(k.path("key").asText(), product.sku(), product.license().version())));
            }
        }
        java.util.Collections.shuffle(keys);
        pools.sell(keys);
        log("%,d keys minted through the API for the distributors (%.1f s)", keys.size(), (System.nanoTime() - started) / 1e9);
    }

    JsonNode mint(String sku, long quantity, String expiresAt, String note) {
        return mintTimed(sku, quantity, expiresAt, note).batch();
    }

    /** A mint as the back office sends it: answered 201, or 503 and sent again with its Idempotency-Key until it is. */
    record Minted(JsonNode batch, double seconds, List<String> answers) {}

    private Minted mintTimed(String sku, long quantity, String expiresAt, String note) {
        String body = "{\"productSku\":\"" + sku + "\",\"quantity\":" + quantity + (expiresAt == null ? "" : ",\"expiresAt\":\"" + expiresAt + "\"")
                + ",\"note\":\"" + note + "\"}";
        String idempotencyKey = UUID.randomUUID().toString();
        List<String> answers = new ArrayList<>();
        long started = System.nanoTime();
        long deadline = started + Duration.ofMinutes(3).toNanos();
        while (true) {
            long sent = System.nanoTime();
            Reply reply = send("POST", "/v1/admin/key-batches", pools.admin().token(), body, idempotencyKey);
            String code = reply.json() == null ? "" : reply.json().path("code").asText("");
            answers.add(String.format(Locale.ROOT, "%d%s in %.1f s", reply.status(), code.isEmpty() ? "" : " " + code, (System.nanoTime() - sent) / 1e9));
            if (reply.status() == 201) return new Minted(reply.json(), (System.nanoTime() - started) / 1e9, answers);
            if (reply.status() != 503 || System.nanoTime() > deadline) {
                throw new IllegalStateException("the mint of " + quantity + " keys answered " + answers + "; the last: " + reply.body());
            }
        }
    }

    /**
     * The largest batch the API takes, timed as the back office sees it: from the first request to
     * the 201 that hands the keys out, a 503 BATCH_INCOMPLETE sent again with its Idempotency-Key
     * included. Minted once the functions are warm and before the load starts, so the figure is the
     * mint's own (on a machine other builds share).
     */
    private void mintLargest() {
        Minted minted;
        try {
            minted = mintTimed(DemoData.PRODUCTS.getFirst().sku(), MAX_BATCH, null, "carga: el lote más grande");
        } catch (IllegalStateException unfinished) {
            // a figure too: the report says what the back office saw, and the load goes on
            largestMint = "did not finish within 3 minutes: " + unfinished.getMessage();
            log("the largest mint %s", largestMint);
            return;
        }
        int keys = minted.batch().path("keys").size();
        if (keys != MAX_BATCH) throw new IllegalStateException("the 5,000-key mint handed out " + keys + " keys");
        largestMint = String.format(Locale.ROOT, "%,d keys in %.1f s through the API, %d request%s (%s)", keys, minted.seconds(),
                minted.answers().size(), minted.answers().size() == 1 ? "" : "s", String.join(", then ", minted.answers()));
        log("the largest mint: %s", largestMint);
    }

    /** The 5,000-key mint's time, as {@link #mintLargest} measured it. */
    String largestMint() {
        return largestMint;
    }

    /**
     * Every instance the run may use, started before it is measured, one function at a time: here
     * all the JVMs share two cores, and instances starting side by side under load took over 15 s
     * each (a 504, where Lambda gives each its own CPU and init 10 s of its own). Like provisioned
     * concurrency, the run then measures warm functions; a fault that kills them measures the cold
     * starts that follow. Each request is one the function refuses without writing anything.
     */
    private void warmUp(int instances) {
        long started = System.nanoTime();
        String user = pools.users().getFirst().token();
        String admin = pools.admin().token();
        String typo = BusinessDaySimulation.flipLast(mx.prepaidkeys.domain.PrepaidKeyCode.generate(new java.security.SecureRandom()).formatted());
        String noKey = "00000000000000000000000000";
        Map<String, java.util.function.Supplier<Reply>> functions = new LinkedHashMap<>();
        functions.put("CaptureFunction", () -> send("POST", "/v1/prepaid-keys/capture", user, BusinessDaySimulation.keyBody(typo), null));
        functions.put("ConfirmFunction", () -> send("POST", "/v1/prepaid-keys/confirm", user, BusinessDaySimulation.confirmBody(typo, "2026.1"),
                UUID.randomUUID().toString()));
        functions.put("ListFunction", () -> send("GET", "/v1/prepaid-keys?limit=1", user, null, null));
        functions.put("HistoryFunction", () -> send("GET", "/v1/prepaid-keys/" + noKey, user, null, null));
        functions.put("AssignFunction", () -> send("POST", "/v1/prepaid-keys/" + noKey + "/assign", user,
                "{\"client\":{\"rfc\":\"XAXX010101000\",\"name\":\"Mostrador\"}}", UUID.randomUUID().toString()));
        functions.put("MintBatchFunction", () -> send("POST", "/v1/admin/key-batches", admin, "{\"productSku\":\"SAE-12M\",\"quantity\":0}",
                UUID.randomUUID().toString()));
        functions.put("GetBatchFunction", () -> send("GET", "/v1/admin/key-batches/0000000000000000", admin, null, null));
        functions.put("VoidKeyFunction", () -> send("POST", "/v1/admin/prepaid-keys/" + noKey + "/void", admin, "{\"reason\":\"calentamiento\"}",
                UUID.randomUUID().toString()));
        functions.put("AdminKeyFunction", () -> send("GET", "/v1/admin/prepaid-keys/" + noKey, admin, null, null));
        functions.put("ResendEmailFunction", () -> send("POST", "/v1/admin/prepaid-keys/" + noKey + "/resend-email", admin, "{}",
                UUID.randomUUID().toString()));
        // the back office's functions see one request at a time: one instance each
        java.util.Set<String> busy = java.util.Set.of("CaptureFunction", "ConfirmFunction", "ListFunction", "HistoryFunction", "AssignFunction");
        java.util.concurrent.ExecutorService starting = java.util.concurrent.Executors.newFixedThreadPool(instances);
        try {
            for (var function : functions.entrySet()) {
                List<java.util.concurrent.Future<Reply>> replies = new ArrayList<>();
                int start = busy.contains(function.getKey()) ? instances : 1;
                for (int i = 0; i < start; i++) replies.add(starting.submit(() -> warm(function.getValue())));
                for (var reply : replies) {
                    int status = reply.get().status();
                    // the run goes on: a function still cold is measured as such, and the report says so
                    if (status >= 500) coldAtStart.merge(function.getKey(), 1, Integer::sum);
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("warming up: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            starting.shutdownNow();
        }
        log("the %d functions the run calls are warm (%d instances of the distributors' five) in %.1f s%s", functions.size(), instances,
                (System.nanoTime() - started) / 1e9, coldAtStart.isEmpty() ? "" : "; still answering 5xx after three tries: " + coldAtStart);
    }

    /**
     * One warming request, sent again while it answers 5xx, at most three times: on a busy shared
     * machine a cold start can run past the function's timeout (504), and the instance it started
     * is then warm.
     */
    private static Reply warm(java.util.function.Supplier<Reply> request) {
        Reply reply = request.get();
        for (int attempt = 1; attempt < 3 && reply.status() >= 500; attempt++) reply = request.get();
        return reply;
    }

    record Reply(int status, String body, JsonNode json) {}

    Reply send(String method, String path, String token, String body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.info().apiUrl() + path)).timeout(Duration.ofSeconds(60))
                .header("authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) request.header("content-type", "application/json");
        if (idempotencyKey != null) request.header("idempotency-key", idempotencyKey);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.headers().firstValue("content-type").orElse("").contains("json") ? JSON.readTree(response.body()) : null;
            return new Reply(response.statusCode(), response.body(), json);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- the mail the run sent, and the invariants -------------------------------------------------

    /** Adds what the SES emulator holds now to what it held before (call it before SES is stopped). */
    synchronized List<SentEmail> mail() {
        for (SentEmail email : InvariantsCli.sentEmails(stack.emulators().sesEndpoint().resolve("/store"))) mail.putIfAbsent(email.messageId(), email);
        return List.copyOf(mail.values());
    }

    InvariantReport invariants() {
        return new TableInvariants(STUCK_AFTER).check(dynamo, DevStack.TABLE, this::mail, Instant.now());
    }

    Path stateDir() {
        return stateDir;
    }

    /**
     * Waits until no confirmation email is PENDING (the notifier has sent, or given up on, every one
     * owed), at most {@code max}; returns the last report read.
     */
    InvariantReport awaitEmailsSettled(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        InvariantReport report = invariants();
        while (report.result(TableInvariants.EMAIL_ACCOUNTED).count("PENDING") > 0 && System.nanoTime() < deadline) {
            sleep(2_000);
            report = invariants();
        }
        return report;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[load] " + format + "%n", args);
    }

    @Override
    public void close() {
        dynamo.close();
        stack.close();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException("cannot clear " + dir, e);
        }
    }
}
