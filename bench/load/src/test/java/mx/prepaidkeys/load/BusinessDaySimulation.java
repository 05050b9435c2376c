package mx.prepaidkeys.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import mx.prepaidkeys.domain.ClientRfc;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.local.DemoData;
import mx.prepaidkeys.local.DevStack;
import mx.prepaidkeys.local.Emulators;

/**
 * A business day on the local stack, then its month-end peak: distributors' users capture and
 * confirm the keys they sold (always with an Idempotency-Key, retried with the same key after an
 * error, as the desk does), list and filter "Claves prepago", export it, open a key's history and
 * give keys to clients, with a few typos and unknown keys among them; the back office meanwhile
 * mints small batches, looks them up and voids keys. Every admin write carries an Idempotency-Key.
 *
 * <p>The run starts its own stack (loopback only), mints the distributors' keys through the API
 * first, and checks the table's invariants at the end ({@code make load}); with {@code CHAOS=1}
 * it injects faults during the run and checks after each ({@code make chaos}).
 */
public class BusinessDaySimulation extends Simulation {
    static final String CAPTURE = "POST /v1/prepaid-keys/capture";
    static final String CONFIRM = "POST /v1/prepaid-keys/confirm";
    static final String LIST = "GET /v1/prepaid-keys";
    static final String EXPORT = "GET /v1/prepaid-keys (CSV)";
    static final String HISTORY = "GET /v1/prepaid-keys/{keyId}";
    static final String ASSIGN = "POST /v1/prepaid-keys/{keyId}/assign";
    static final String MINT = "POST /v1/admin/key-batches";
    static final String BATCH = "GET /v1/admin/key-batches/{batchId}";
    static final String VOID = "POST /v1/admin/prepaid-keys/{keyId}/void";
    static final String ADMIN_KEY = "GET /v1/admin/prepaid-keys/{keyId}";
    static final List<String> ROUTES = List.of(CAPTURE, CONFIRM, LIST, EXPORT, HISTORY, ASSIGN, MINT, BATCH, VOID, ADMIN_KEY);

    /** Shares of the distributor actions (percent). */
    static final double CONFIRMS = 28;
    static final double DOUBLE_CONFIRMS = 3;
    static final double LISTS = 22;
    static final double LIST_THEN_HISTORY = 12;
    static final double HISTORIES = 14;
    static final double ASSIGNS = 12;
    static final double EXPORTS = 3;
    static final double TYPOS = 4;
    static final double UNKNOWN = 2;
    /** What the key pools are sized for: the share of actions that confirm a fresh key. */
    static final double CONFIRMING_SHARE = (CONFIRMS + DOUBLE_CONFIRMS) / 100;
    /**
     * How long a user keeps retrying a write: past an abandoned claim's 60 s lock, a 15 s function
     * timeout, and a second fault meeting the first retries.
     */
    static final Duration RETRY_FOR = Duration.ofSeconds(120);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, Product> PRODUCTS = DemoData.PRODUCTS.stream().collect(Collectors.toMap(Product::sku, p -> p));
    private static final String[] CLIENT_NAMES = {"Abarrotes La Esperanza", "Farmacia Núñez", "Ferretería del Bajío", "Papelería Olmos",
            "Consultorio Dental Ríos", "Taller Mecánico Ortega", "Panadería San Ángel", "Despacho Contable Ibarra"};

    private final LoadSettings settings = LoadSettings.fromEnvironment();
    private final Path root = Emulators.repositoryRoot();
    private final DevStack.Options options = DevStack.Options.isolated(root, root.resolve("bench/load/target/load-stack"));
    private final Recorder recorder = new Recorder();
    private final List<String> clientRfcs = clientRfcs(24);
    private LoadStack stack;
    private Chaos chaos;

    public BusinessDaySimulation() {
        HttpProtocolBuilder protocol = http.baseUrl("http://127.0.0.1:" + options.apiPort())
                // Gatling would otherwise call a public site first: this run talks to loopback only
                .disableWarmUp()
                .shareConnections()
                .acceptHeader("application/json")
                .acceptLanguageHeader("es-MX")
                .userAgentHeader("prepaid-keys-load (Gatling)");

        ScenarioBuilder distributors = scenario("distributors' users").exec(asAnyUser()).doIfOrElse(this::heldAtTheGate)
                .then(exec(s -> s)).orElse(randomSwitch().on(
                percent(CONFIRMS).then(captureAndConfirm()),
                percent(DOUBLE_CONFIRMS).then(confirmTwice()),
                percent(LISTS).then(list()),
                percent(LIST_THEN_HISTORY).then(list().exec(history("listed"))),
                percent(HISTORIES).then(exec(this::heldKey).exec(history("held"))),
                percent(ASSIGNS).then(assign()),
                percent(EXPORTS).then(export()),
                percent(TYPOS).then(mistyped()),
                percent(UNKNOWN).then(unknownKey())));
        ScenarioBuilder backOffice = scenario("back office").exec(s -> s.set("token", stack.pools.admin().token())).doIfOrElse(this::heldAtTheGate)
                .then(exec(s -> s)).orElse(randomSwitch().on(
                percent(40).then(mintSmallBatch()),
                percent(20).then(lookUpBatch()),
                percent(25).then(voidIssued()),
                percent(10).then(voidAvailable()),
                percent(5).then(adminKey())));

        double rate = settings.rate();
        double peak = settings.peakRate();
        setUp(
                distributors.injectOpen(
                        rampUsersPerSec(1).to(rate).during(LoadSettings.RAMP_UP),
                        constantUsersPerSec(rate).during(settings.base()).randomized(),
                        rampUsersPerSec(rate).to(peak).during(LoadSettings.PEAK_RAMP),
                        constantUsersPerSec(peak).during(LoadSettings.PEAK_HOLD).randomized(),
                        rampUsersPerSec(peak).to(rate).during(LoadSettings.RAMP_DOWN)),
                backOffice.injectOpen(constantUsersPerSec(LoadSettings.ADMIN_RATE).during(settings.total()).randomized()))
                .protocols(protocol)
                // bounded whatever happens: the profile, the last retries, and the checks between faults
                .maxDuration(settings.total().plus(RETRY_FOR).plus(Duration.ofSeconds(60)));
    }

    @Override
    public void before() {
        LoadStack.log("%s", settings.describe());
        stack = LoadStack.start(settings, options);
        recorder.started();
        recorder.machineLoad(machineLoad());
        if (settings.chaos()) chaos = Chaos.start(stack, recorder, settings, root);
        LoadStack.log("load starts: %d s of arrivals", settings.total().toSeconds());
    }

    @Override
    public void after() {
        long endedAt = System.currentTimeMillis();
        try {
            if (chaos != null) chaos.stop();
            LoadStack.log("load over; waiting for the notifier to send what the run's activations owe");
            var invariants = stack.awaitEmailsSettled(Duration.ofSeconds(90));
            recorder.machineLoad(machineLoad());
            recorder.writeCsv(root.resolve("bench/load/target/load-calls.csv"));
            LoadReport report = new LoadReport(settings, recorder, endedAt, invariants, chaos == null ? List.of() : chaos.results(),
                    chaos == null ? Map.of() : chaos.probes(), stack);
            System.out.println(report.console());
            report.writeMarkdown(root.resolve("bench/load-report.md"));
            Path failed = root.resolve("bench/load/target/load-failed");
            Files.deleteIfExists(failed);
            if (!report.passed()) Files.writeString(failed, report.failures());
        } catch (Exception e) {
            throw new IllegalStateException("the run's report could not be made", e);
        } finally {
            stack.close();
        }
    }

    /**
     * Whether the invariants are being checked between two faults: users who arrive then go away
     * (counted) instead of queueing, so that no burst of waiting users follows each check.
     */
    private boolean heldAtTheGate(Session s) {
        if (!recorder.gateClosed()) return false;
        recorder.skipped("arrived while the invariants were checked");
        return true;
    }

    // ---- distributors ------------------------------------------------------------------------------

    private ChainBuilder asAnyUser() {
        return exec(s -> {
            KeyPools.User user = stack.pools.anyUser();
            return s.set("token", user.token()).set("dist", user.distributorId());
        });
    }

    /** The walkthrough: type the key, read what it is and its licence, tick "Acepto", confirm. */
    private ChainBuilder captureAndConfirm() {
        return exec(this::takeFresh).doIf(s -> s.contains("key")).then(
                call(CAPTURE, http(CAPTURE).post("/v1/prepaid-keys/capture").body(StringBody(s -> keyBody(s.getString("key")))), List.of(200))
                        .pause(Duration.ofMillis(800), Duration.ofMillis(2500))
                        .exec(confirm(true)));
    }

    /** A double click, or a colleague confirming the same key: the second confirm answers as the first and owes no second email. */
    private ChainBuilder confirmTwice() {
        // the key joins the pool of keys to assign after the second confirm, which would otherwise meet it USED
        return exec(this::takeFresh).doIf(s -> s.contains("key")).then(exec(confirm(false)).pause(Duration.ofMillis(200), Duration.ofMillis(1500))
                .exec(confirm(true)));
    }

    /** @param assignable whether a confirmed key joins its distributor's keys waiting for a client */
    private ChainBuilder confirm(boolean assignable) {
        return idempotent(CONFIRM, http(CONFIRM).post("/v1/prepaid-keys/confirm")
                .body(StringBody(s -> confirmBody(s.getString("key"), s.getString("license")))), List.of(200),
                jsonPath("$.keyId").optional().saveAs("keyId"))
                .exec(s -> {
                    if (assignable && s.contains("status") && s.getInt("status") == 200 && s.contains("keyId")) {
                        stack.pools.confirmed(s.getString("dist"), s.getString("keyId"));
                    }
                    return s;
                });
    }

    private Session takeFresh(Session s) {
        KeyPools.Fresh fresh = stack.pools.takeFresh(s.getString("dist"));
        if (fresh == null) {
            recorder.skipped("confirm: no key left to confirm");
            return s;
        }
        return s.set("key", fresh.key()).set("license", fresh.licenseVersion());
    }

    /** "Claves prepago": the first page, with one of the filters people use. */
    private ChainBuilder list() {
        return exec(s -> s.set("query", listQuery()))
                .exec(call(LIST, http(LIST).get(s -> "/v1/prepaid-keys?" + s.getString("query")), List.of(200),
                        jsonPath("$.items[*].keyId").findAll().optional().saveAs("listed")));
    }

    private String listQuery() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int pick = random.nextInt(100);
        String today = LocalDate.now(Timestamps.MEXICO_CITY).toString();
        if (pick < 35) return "limit=25";
        if (pick < 55) return "status=AVAILABLE&limit=25";
        if (pick < 67) return "product=" + DemoData.PRODUCTS.get(random.nextInt(DemoData.PRODUCTS.size())).sku() + "&limit=25";
        if (pick < 75) return "status=AVAILABLE,USED&sort=expiresAt&limit=50&fields=maskedKey,product,status,expiresAt";
        if (pick < 83) return "q=" + PrepaidKeyCode.generate(random).formatted().substring(27) + "&limit=25";
        if (pick < 91) return "client=" + java.net.URLEncoder.encode(CLIENT_NAMES[random.nextInt(CLIENT_NAMES.length)].substring(0, 4),
                java.nio.charset.StandardCharsets.UTF_8) + "&limit=25";
        return "activatedFrom=" + today + "&activatedTo=" + today + "&limit=25";
    }

    /** A key's history: one the list just showed, or one the distributor holds. */
    private ChainBuilder history(String from) {
        return exec(s -> {
            String keyId = null;
            if (from.equals("listed") && s.contains("listed")) {
                List<String> listed = s.getList("listed");
                if (!listed.isEmpty()) keyId = listed.get(ThreadLocalRandom.current().nextInt(listed.size()));
            } else if (s.contains("held")) keyId = s.getString("held");
            return keyId == null ? s.remove("historyKey") : s.set("historyKey", keyId);
        }).doIf(s -> s.contains("historyKey")).then(
                call(HISTORY, http(HISTORY).get(s -> "/v1/prepaid-keys/" + s.getString("historyKey")), List.of(200)));
    }

    private Session heldKey(Session s) {
        String keyId = stack.pools.anyHeld(s.getString("dist"));
        if (keyId != null) return s.set("held", keyId);
        recorder.skipped("history: the distributor holds no key yet");
        return s.remove("held");
    }

    /** "Asignar a cliente": the oldest key still waiting, to one of the distributor's clients. */
    private ChainBuilder assign() {
        return exec(s -> {
            String keyId = stack.pools.takeAvailable(s.getString("dist"));
            if (keyId == null) {
                recorder.skipped("assign: no key waiting for a client");
                return s.remove("assignKey");
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            return s.set("assignKey", keyId).set("rfc", clientRfcs.get(random.nextInt(clientRfcs.size())))
                    .set("client", CLIENT_NAMES[random.nextInt(CLIENT_NAMES.length)]);
        }).doIf(s -> s.contains("assignKey")).then(
                idempotent(ASSIGN, http(ASSIGN).post(s -> "/v1/prepaid-keys/" + s.getString("assignKey") + "/assign")
                        .body(StringBody(s -> "{\"client\":{\"rfc\":\"" + s.getString("rfc") + "\",\"name\":\"" + s.getString("client") + "\"}}")),
                        List.of(200)));
    }

    private ChainBuilder export() {
        return call(EXPORT, http(EXPORT).get("/v1/prepaid-keys?status=AVAILABLE,USED&fields=maskedKey,product,status,clientRfc,clientName,activatedAt")
                .header("accept", "text/csv").header("accept-encoding", "gzip"), List.of(200));
    }

    /** A key typed with one wrong character: the check character catches it, nothing is looked up (400). */
    private ChainBuilder mistyped() {
        return exec(s -> s.set("typo", flipLast(PrepaidKeyCode.generate(RANDOM).formatted())))
                .exec(call(CAPTURE, http(CAPTURE).post("/v1/prepaid-keys/capture").body(StringBody(s -> keyBody(s.getString("typo")))),
                        List.of(400)));
    }

    /** A well-formed key nobody minted (a guess, or someone else's pile): 422, and a failed attempt counted. */
    private ChainBuilder unknownKey() {
        return exec(s -> s.set("unknown", PrepaidKeyCode.generate(RANDOM).formatted())).randomSwitch().on(
                percent(50).then(call(CAPTURE, http(CAPTURE).post("/v1/prepaid-keys/capture").body(StringBody(s -> keyBody(s.getString("unknown")))),
                        List.of(422))),
                percent(50).then(idempotent(CONFIRM, http(CONFIRM).post("/v1/prepaid-keys/confirm")
                        .body(StringBody(s -> confirmBody(s.getString("unknown"), "2026.1"))), List.of(422))));
    }

    // ---- the back office -----------------------------------------------------------------------------

    /**
     * A small batch for a distributor's order; most of its keys are sold to the distributors, two are
     * kept to be voided. A quarter of the mints are sent again with the same Idempotency-Key, as a
     * browser retry would: the answer must be the first one, the same batch.
     */
    private ChainBuilder mintSmallBatch() {
        return exec(s -> {
            Product product = DemoData.PRODUCTS.get(ThreadLocalRandom.current().nextInt(DemoData.PRODUCTS.size()));
            return s.set("sku", product.sku()).set("quantity", 5 + ThreadLocalRandom.current().nextInt(16));
        }).exec(idempotent(MINT, http(MINT).post("/v1/admin/key-batches")
                .body(StringBody(s -> "{\"productSku\":\"" + s.getString("sku") + "\",\"quantity\":" + s.getInt("quantity")
                        + ",\"note\":\"pedido de carga\"}")), List.of(201),
                jsonPath("$.batchId").optional().saveAs("batchId"), jsonPath("$.keys[*].key").findAll().optional().saveAs("mintedKeys"),
                jsonPath("$.keys[*].keyId").findAll().optional().saveAs("mintedIds")))
                .exec(s -> {
                    if (!s.contains("status") || s.getInt("status") != 201 || !s.contains("mintedKeys")) return s;
                    List<String> keys = s.getList("mintedKeys");
                    List<String> ids = s.getList("mintedIds");
                    Product product = PRODUCTS.get(s.getString("sku"));
                    List<KeyPools.Fresh> sold = new ArrayList<>();
                    for (int i = 2; i < keys.size(); i++) sold.add(new KeyPools.Fresh(keys.get(i), product.sku(), product.license().version()));
                    stack.pools.sell(sold);
                    stack.pools.adminMinted(s.getString("batchId"), ids.subList(0, Math.min(2, ids.size())));
                    return s.set("firstBatch", s.getString("batchId")).set("replay", ThreadLocalRandom.current().nextInt(4) == 0);
                })
                .doIf(s -> s.contains("replay") && s.getBoolean("replay")).then(
                        call(MINT, http(MINT).post("/v1/admin/key-batches").header("idempotency-key", "#{idem}")
                                .body(StringBody(s -> "{\"productSku\":\"" + s.getString("sku") + "\",\"quantity\":" + s.getInt("quantity")
                                        + ",\"note\":\"pedido de carga\"}")), List.of(201),
                                jsonPath("$.batchId").optional().saveAs("batchId"), header("idempotent-replayed").optional().saveAs("replayed"))
                                .exec(s -> {
                                    if (s.contains("status") && s.getInt("status") == 201
                                            && (!s.getString("batchId").equals(s.getString("firstBatch")) || !s.contains("replayed"))) {
                                        recorder.surprise("a mint sent again with its Idempotency-Key answered batch " + s.getString("batchId")
                                                + " (first: " + s.getString("firstBatch") + ", replayed header: " + s.contains("replayed") + ")");
                                    }
                                    return s;
                                }));
    }

    private ChainBuilder lookUpBatch() {
        return exec(s -> {
            String batchId = stack.pools.anyBatch();
            return batchId == null ? s.remove("lookUp") : s.set("lookUp", batchId);
        }).doIf(s -> s.contains("lookUp")).then(call(BATCH, http(BATCH).get(s -> "/v1/admin/key-batches/" + s.getString("lookUp")), List.of(200)));
    }

    private ChainBuilder voidIssued() {
        return voidKey(s -> stack.pools.takeIssuedToVoid(), "lote dañado en tránsito");
    }

    private ChainBuilder voidAvailable() {
        return voidKey(s -> stack.pools.takeAnyAvailable(), "devolución del distribuidor");
    }

    private ChainBuilder voidKey(java.util.function.Function<Session, String> which, String reason) {
        return exec(s -> {
            String keyId = which.apply(s);
            if (keyId == null) recorder.skipped("void: no key to void");
            return keyId == null ? s.remove("voidKey") : s.set("voidKey", keyId);
        }).doIf(s -> s.contains("voidKey")).then(idempotent(VOID, http(VOID).post(s -> "/v1/admin/prepaid-keys/" + s.getString("voidKey") + "/void")
                .body(StringBody("{\"reason\":\"" + reason + "\"}")), List.of(200)));
    }

    private ChainBuilder adminKey() {
        return exec(s -> {
            String keyId = stack.pools.anyHeld(stack.pools.distributors().get(ThreadLocalRandom.current().nextInt(stack.pools.distributors().size())));
            return keyId == null ? s.remove("adminKey") : s.set("adminKey", keyId);
        }).doIf(s -> s.contains("adminKey")).then(call(ADMIN_KEY, http(ADMIN_KEY).get(s -> "/v1/admin/prepaid-keys/" + s.getString("adminKey")),
                List.of(200)));
    }

    // ---- one request, one write ------------------------------------------------------------------------

    /**
     * One request, recorded as its client saw it. It waits at the gate while the invariants are
     * checked between faults. Statuses outside {@code expected} fail Gatling's check too, so its
     * own report counts them as KO.
     */
    private ChainBuilder call(String route, HttpRequestActionBuilder request, List<Integer> expected, CheckBuilder... extra) {
        List<CheckBuilder> checks = new ArrayList<>(List.of(status().saveAs("status"), responseTimeInMillis().saveAs("rt"),
                regex("\"code\"\\s*:\\s*\"([A-Z_]+)\"").optional().saveAs("code"), header("retry-after").optional().saveAs("retryAfter")));
        checks.addAll(List.of(extra));
        checks.add(status().in(expected));
        return asLongAs(s -> recorder.gateClosed()).on(pause(Duration.ofMillis(200)))
                .exec(s -> {
                    recorder.sending(route);
                    return s.removeAll("status", "rt", "code", "retryAfter").set("sentAt", System.currentTimeMillis());
                })
                .exec(request.header("authorization", "Bearer #{token}").check(checks))
                .exec(s -> {
                    int status = s.contains("status") ? s.getInt("status") : 0;
                    long sentAt = s.getLong("sentAt");
                    long millis = s.contains("rt") ? s.getInt("rt") : System.currentTimeMillis() - sentAt;
                    boolean retry = s.contains("attempt") && s.getInt("attempt") > 1;
                    recorder.add(new Recorder.Call(route, sentAt, millis, status, s.contains("code") ? s.getString("code") : null,
                            expected.contains(status), retry, s.contains("idem") ? s.getString("idem") : null));
                    return s;
                });
    }

    /**
     * A write with a fresh Idempotency-Key per user action, sent again with the same key while the
     * answer is a fault (no answer, 502, 503, 504) or 409 REQUEST_IN_PROGRESS, honouring Retry-After,
     * for at most {@link #RETRY_FOR}: what a careful client (and the desk) does.
     */
    private ChainBuilder idempotent(String route, HttpRequestActionBuilder request, List<Integer> expected, CheckBuilder... extra) {
        HttpRequestActionBuilder keyed = request.header("idempotency-key", "#{idem}");
        return exec(s -> {
                    String idempotencyKey = UUID.randomUUID().toString();
                    long now = System.currentTimeMillis();
                    recorder.opened(idempotencyKey, now);
                    return s.set("idem", idempotencyKey).set("attempt", 0).set("actionStart", now).set("done", false);
                })
                .asLongAs(s -> !s.getBoolean("done")).on(
                        exec(s -> s.set("attempt", s.getInt("attempt") + 1))
                                .exec(call(route, keyed, expected, extra))
                                .exec(s -> {
                                    int status = s.contains("status") ? s.getInt("status") : 0;
                                    String code = s.contains("code") ? s.getString("code") : null;
                                    boolean transientFault = status == 0 || status == 502 || status == 503 || status == 504
                                            || (status == 409 && "REQUEST_IN_PROGRESS".equals(code));
                                    long now = System.currentTimeMillis();
                                    long startedAt = s.getLong("actionStart");
                                    int attempt = s.getInt("attempt");
                                    if (!transientFault || now - startedAt > RETRY_FOR.toMillis()) {
                                        recorder.action(new Recorder.Action(route, startedAt, now, attempt, status, code, s.getString("idem")));
                                        return s.set("done", true);
                                    }
                                    long wait = Math.min(10_000, 1_000L << Math.min(attempt - 1, 4));
                                    if (s.contains("retryAfter")) {
                                        try {
                                            wait = Math.min(10_000, Math.max(250, Long.parseLong(s.getString("retryAfter").trim()) * 1000));
                                        } catch (NumberFormatException notSeconds) {
                                            // an HTTP date: keep the backoff
                                        }
                                    }
                                    return s.set("wait", wait);
                                })
                                .doIf(s -> !s.getBoolean("done")).then(pause(s -> Duration.ofMillis(s.getLong("wait")))));
    }

    // ---- bodies and data -------------------------------------------------------------------------------

    /** The machine's 1-minute load average: other builds share its two cores, and the figures depend on them. */
    static String machineLoad() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException unknown) {
            return "?";
        }
    }

    static String keyBody(String key) {
        return "{\"key\":\"" + key + "\"}";
    }

    static String confirmBody(String key, String licenseVersion) {
        return "{\"key\":\"" + key + "\",\"acceptLicense\":true,\"licenseVersion\":\"" + licenseVersion + "\"}";
    }

    static String flipLast(String key) {
        char last = key.charAt(key.length() - 1);
        return key.substring(0, key.length() - 1) + (last == '0' ? '1' : '0');
    }

    /** Persons' RFCs with a right check digit (found by trying each, as SAT's rule is the domain's). */
    static List<String> clientRfcs(int count) {
        List<String> rfcs = new ArrayList<>(List.of(ClientRfc.GENERIC_PUBLIC));
        String letters = "ABCDEFGHJKLMNPRSTUVWXYZ";
        String alphabet = "0123456789A";
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (rfcs.size() < count) {
            StringBuilder stem = new StringBuilder();
            for (int i = 0; i < 4; i++) stem.append(letters.charAt(random.nextInt(letters.length())));
            stem.append(String.format(java.util.Locale.ROOT, "%02d%02d%02d", 60 + random.nextInt(40), 1 + random.nextInt(12), 1 + random.nextInt(28)));
            stem.append(letters.charAt(random.nextInt(letters.length()))).append(random.nextInt(10));
            for (char digit : alphabet.toCharArray()) {
                try {
                    ClientRfc.parse(stem.toString() + digit, false);
                    rfcs.add(stem.toString() + digit);
                    break;
                } catch (RuntimeException wrongDigit) {
                    // try the next one
                }
            }
        }
        return List.copyOf(rfcs);
    }
}
