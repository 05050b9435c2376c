package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import mx.prepaidkeys.local.DevStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Garbage at every route, through the local gateway: each bad request gets a 4xx problem+json that
 * names the offending field, and the table is the same before and after, item for item. The cases
 * come from two places: docs/openapi.yaml (every body field and query parameter of every operation
 * gets a wrong type, a value past its limits, a string that breaks its pattern, control and
 * invisible characters; so a new field gets its bad cases without anyone writing them), and a
 * hand-written list of what no schema describes (broken JSON, huge and deep bodies, header abuse,
 * keys of every wrong length, injection-looking filters and cursors, path ids that are not ids).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestStack stack = TestStack.get();
    private final ApiClient admin = stack.newUser(null);
    private final ApiClient distributor = stack.newUser("dist-h-" + UUID.randomUUID().toString().substring(0, 6));
    private final OpenApiContract contract = OpenApiContract.get();

    /**
     * One bad request.
     *
     * @param field the field the answer must name; null for a path id, which is answered like an unknown one (404)
     */
    record Case(String name, String method, String path, String body, String field, String... headers) {}

    @Test
    void every_bad_request_is_refused_naming_its_field_and_changes_nothing() {
        List<Case> cases = new ArrayList<>();
        cases.addAll(fromTheContract());
        cases.addAll(handWritten());

        stack.awaitStreamIdle(Duration.ofSeconds(60));
        Map<String, Map<String, AttributeValue>> before = dump();
        int fromContract = fromTheContract().size();
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Case bad : cases) {
            ApiClient caller = bad.path().startsWith("/v1/admin/") ? admin : distributor;
            ApiClient.Reply reply;
            try {
                reply = caller.send(bad.method(), bad.path(), bad.body(), bad.headers());
            } catch (AssertionError contractBroken) {
                failures.add(bad.name() + ": " + contractBroken.getMessage());
                continue;
            }
            statuses.merge(reply.status(), 1, Integer::sum);
            String problem = problemWith(bad, reply);
            if (problem != null) failures.add(bad.name() + ": " + problem + " -> " + reply.status() + " " + reply.body());
            Map<String, Map<String, AttributeValue>> after = dump();
            if (!after.equals(before)) {
                failures.add(bad.name() + ": the table changed: " + difference(before, after));
                before = after;
            }
        }
        assertEquals(List.of(), failures, failures.size() + " of " + cases.size() + " bad requests were not refused cleanly");
        assertTrue(cases.size() >= 50, "at least 50 cases: " + cases.size());
        System.out.printf("hostile input: %d bad requests (%d drawn from docs/openapi.yaml, %d hand-written) across every route, "
                + "all refused with the field named, table unchanged (%d items compared after each); statuses %s%n",
                cases.size(), fromContract, cases.size() - fromContract, before.size(), statuses);
    }

    /**
     * A body or a query with hundreds of faults gets an answer of bounded size: the first 20 errors
     * and how many more there were, not an echo that outgrows the request.
     */
    @Test
    void a_problem_lists_at_most_20_errors_and_counts_the_rest() {
        StringBuilder body = new StringBuilder("{\"key\":\"" + PrepaidKeyCodes.fresh() + "\"");
        for (int i = 0; i < 500; i++) body.append(",\"campo").append(i).append("\":").append(i);
        body.append('}');
        var reply = distributor.post("/v1/prepaid-keys/capture", body.toString());
        assertEquals(400, reply.status(), reply.body());
        assertEquals("REQUEST_INVALID", reply.code());
        assertEquals(20, reply.json().path("errors").size(), "20 errors listed");
        assertEquals(480, reply.json().path("moreErrors").asInt(), "and the count of the rest");
        assertEquals("campo0", reply.json().path("field").asText());

        StringBuilder query = new StringBuilder("/v1/prepaid-keys?limit=1");
        for (int i = 0; i < 300; i++) query.append("&p").append(i).append("=x");
        var listed = distributor.get(query.toString());
        assertEquals(400, listed.status(), listed.body());
        assertEquals(20, listed.json().path("errors").size());
        assertEquals(280, listed.json().path("moreErrors").asInt());
        System.out.printf("hostile input: %d bytes of body with 500 unknown fields answered in %d bytes; a %d-byte query with 300 unknown "
                + "parameters in %d bytes%n", body.length(), reply.body().length(), query.length(), listed.body().length());
    }

    /** Why an answer is not a clean refusal, or null when it is. */
    private static String problemWith(Case bad, ApiClient.Reply reply) {
        if (reply.status() < 400 || reply.status() >= 500) return "not a 4xx";
        if (reply.json() == null || !String.valueOf(reply.header("content-type")).startsWith("application/problem+json")) {
            return "not problem+json";
        }
        if (bad.field() == null) return reply.status() == 404 && "NOT_FOUND".equals(reply.code()) ? null : "not answered like an unknown id";
        Set<String> named = new LinkedHashSet<>();
        if (reply.json().hasNonNull("field")) named.add(reply.json().path("field").asText());
        reply.json().path("errors").forEach(error -> named.add(error.path("field").asText()));
        return named.contains(bad.field()) ? null : "does not name " + bad.field() + " (names " + named + ")";
    }

    // ---- cases drawn from docs/openapi.yaml ---------------------------------------------------------

    private List<Case> fromTheContract() {
        Map<String, SampleEvents.Sample> samples = SampleEvents.byRoute();
        List<Case> cases = new ArrayList<>();
        for (var operation : contract.operations()) {
            var sample = samples.get(operation.routeKey());
            String path = sample.path().split("\\?")[0];
            var schema = contract.requestSchema(operation);
            if (schema.isPresent() && sample.body() != null) {
                ObjectNode valid = (ObjectNode) read(sample.body());
                bodyCases(operation.routeKey(), path, valid, valid, schema.get(), "", cases);
                ObjectNode unknown = valid.deepCopy();
                unknown.put("isAdmin", true);
                cases.add(new Case(operation.routeKey() + " unknown field", sample.method(), path, unknown.toString(), "isAdmin"));
            }
            for (JsonNode parameter : operation.node().path("parameters")) {
                if (!parameter.path("in").asText().equals("query")) continue;
                String name = parameter.path("name").asText();
                for (String value : badValues(parameter.path("schema"))) {
                    cases.add(new Case(operation.routeKey() + " ?" + name + "=" + abbreviate(value), sample.method(),
                            path + "?" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8), null, name));
                }
            }
        }
        return cases;
    }

    /** For each property of an object schema: a mutated copy of the valid body, one fault at a time. */
    private void bodyCases(String routeKey, String path, ObjectNode root, ObjectNode at, JsonNode schema, String prefix, List<Case> cases) {
        String method = routeKey.split(" ")[0];
        Set<String> required = new LinkedHashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        schema.path("properties").properties().forEach(property -> {
            String name = property.getKey();
            String field = prefix + name;
            JsonNode propertySchema = property.getValue();
            if (type(propertySchema).equals("object") && at.get(name) instanceof ObjectNode nested) {
                bodyCases(routeKey, path, root, nested, propertySchema, field + ".", cases);
            }
            for (JsonNode value : badJsonValues(propertySchema)) {
                JsonNode original = at.get(name);
                at.set(name, value);
                cases.add(new Case(routeKey + " " + field + "=" + abbreviate(value.toString()), method, path, root.toString(), field));
                if (original == null) at.remove(name);
                else at.set(name, original);
            }
            if (required.contains(name) && at.has(name)) {
                JsonNode original = at.remove(name);
                cases.add(new Case(routeKey + " without " + field, method, path, root.toString(), field));
                at.set(name, original);
            }
        });
    }

    /** Values a schema refuses: the wrong type, past its limits, off its pattern, with control or invisible characters. */
    private List<JsonNode> badJsonValues(JsonNode schema) {
        List<JsonNode> values = new ArrayList<>();
        switch (type(schema)) {
            case "string" -> {
                values.add(JSON.valueToTree(12345));
                if (schema.has("maxLength")) values.add(JSON.valueToTree("x".repeat(schema.path("maxLength").asInt() + 1)));
                if (schema.has("pattern") || schema.has("enum")) values.add(JSON.valueToTree("' OR '1'='1"));
                values.add(JSON.valueToTree("abc\u0000def"));
                values.add(JSON.valueToTree("abc\u202Efdp.exe"));
            }
            case "integer" -> {
                values.add(JSON.valueToTree("10"));
                values.add(JSON.valueToTree(1.5));
                if (schema.has("minimum")) values.add(JSON.valueToTree(schema.path("minimum").asLong() - 1));
                if (schema.has("maximum")) values.add(JSON.valueToTree(schema.path("maximum").asLong() + 1));
                values.add(JSON.valueToTree(new java.math.BigDecimal("1e400")));
            }
            case "boolean" -> values.add(JSON.valueToTree("true"));
            case "object" -> values.add(JSON.valueToTree(List.of("not", "an", "object")));
            default -> { }
        }
        return values.stream().filter(value -> !contract.accepts(schema, value.toString())).toList();
    }

    /** Query values a parameter's schema refuses. */
    private List<String> badValues(JsonNode schema) {
        List<String> values = new ArrayList<>();
        if (schema.has("enum") || schema.has("pattern")) values.add("x' OR '1'='1");
        if (schema.has("maxLength")) values.add("A".repeat(schema.path("maxLength").asInt() + 1));
        if (type(schema).equals("integer")) {
            values.add("abc");
            values.add("1e3");
            if (schema.has("minimum")) values.add(Long.toString(schema.path("minimum").asLong() - 1));
            if (schema.has("maximum")) values.add(Long.toString(schema.path("maximum").asLong() + 1));
        }
        if (schema.path("format").asText().equals("date")) {
            values.add("2026-13-45");
            values.add("ayer");
        }
        return values.stream().filter(value -> !contract.accepts(schema, type(schema).equals("integer") && value.matches("-?\\d+")
                ? value : JSON.valueToTree(value).toString())).toList();
    }

    /** A schema's type; of {@code [string, "null"]} (an optional field that may be null), the one that is not null. */
    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (!type.isArray()) return type.asText();
        for (JsonNode option : type) if (!option.asText().equals("null")) return option.asText();
        return "null";
    }

    // ---- what no schema says -------------------------------------------------------------------------

    private List<Case> handWritten() {
        String capture = "/v1/prepaid-keys/capture";
        String confirm = "/v1/prepaid-keys/confirm";
        String list = "/v1/prepaid-keys";
        String demoKeyId = "q7b1jqq7yhrsdwcsx81g8dx9z8";
        String assign = "/v1/prepaid-keys/" + demoKeyId + "/assign";
        String mint = "/v1/admin/key-batches";
        String find = "/v1/admin/prepaid-keys";
        List<Case> cases = new ArrayList<>(List.of(
                new Case("malformed JSON", "POST", capture, "{\"key\": \"ABCDE", "body"),
                new Case("a JSON array", "POST", capture, "[\"QMQ0B-FWQPJ-BY38V-P2NX3-M3SQG\"]", "body"),
                new Case("a JSON string", "POST", capture, "\"QMQ0B-FWQPJ-BY38V-P2NX3-M3SQG\"", "body"),
                new Case("JSON null", "POST", confirm, "null", "body"),
                new Case("an empty body", "POST", confirm, "", "body"),
                new Case("only spaces", "POST", confirm, "   \n ", "body"),
                new Case("two objects", "POST", capture, "{\"key\":\"A\"}{\"key\":\"B\"}", "body"),
                new Case("a comment in the JSON", "POST", capture, "{\"key\": /* ok */ \"QMQ0B-FWQPJ-BY38V-P2NX3-M3SQG\"}", "body"),
                new Case("a duplicated field", "POST", capture,
                        "{\"key\":\"QMQ0B-FWQPJ-BY38V-P2NX3-M3SQG\",\"key\":\"JPFJ8-KCKRK-7PATV-N3ZE8-GK3XC\"}", "key"),
                new Case("a 100 KB body", "POST", capture, "{\"key\":\"" + "A".repeat(100_000) + "\"}", "body"),
                new Case("a 2 MB body", "POST", mint, "{\"note\":\"" + "n".repeat(2_000_000) + "\"}", "body"),
                new Case("nesting 10,000 deep", "POST", assign, "{\"client\":".repeat(10_000) + "{}" + "}".repeat(10_000), "body"),
                new Case("nesting 9 deep", "POST", assign, "{\"client\":{\"rfc\":{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{}}}}}}}}}", "body"),
                new Case("a number with 400 digits", "POST", mint, "{\"productSku\":\"SAE-12M\",\"quantity\":" + "9".repeat(400) + "}", "body"),
                new Case("text/plain", "POST", capture, "QMQ0B-FWQPJ-BY38V-P2NX3-M3SQG", "Content-Type", "content-type", "text/plain"),
                new Case("XML", "POST", confirm, "<key>QMQ0B</key>", "Content-Type", "content-type", "application/xml"),
                new Case("form encoded", "POST", capture, "key=QMQ0B-FWQPJ-BY38V-P2NX3-M3SQG", "Content-Type",
                        "content-type", "application/x-www-form-urlencoded"),
                new Case("Idempotency-Key of 256 characters", "POST", confirm, GuessingTest.body("confirm", PrepaidKeyCodes.fresh()),
                        "Idempotency-Key", "idempotency-key", "k".repeat(256)),
                new Case("Idempotency-Key of 4,000 characters", "POST", mint, "{\"productSku\":\"SAE-12M\",\"quantity\":1}",
                        "Idempotency-Key", "idempotency-key", "pedido-".repeat(500)),
                new Case("an emoji in a client name", "POST", assign, "{\"client\":{\"rfc\":\"TME840315KT6\",\"name\":\"Ferretería 🔨\"}}",
                        "client.name"),
                new Case("a right-to-left override in a client name", "POST", assign,
                        "{\"client\":{\"rfc\":\"TME840315KT6\",\"name\":\"Pagos \u202Efdp.exe\"}}", "client.name"),
                new Case("a zero-width space in a client name", "POST", assign,
                        "{\"client\":{\"rfc\":\"TME840315KT6\",\"name\":\"Tel\u200Bmex\"}}", "client.name"),
                new Case("SQL in a client name", "POST", assign, "{\"client\":{\"rfc\":\"TME840315KT6\",\"name\":\"x'; DROP TABLE keys;--\"}}",
                        "client.name"),
                new Case("a NUL in a client name", "POST", assign, "{\"client\":{\"rfc\":\"TME840315KT6\",\"name\":\"Tel\\u0000mex\"}}",
                        "client.name"),
                new Case("an RFC with a script tag", "POST", assign, "{\"client\":{\"rfc\":\"<script>\",\"name\":\"Telmex\"}}", "client.rfc"),
                new Case("a client that is a string", "POST", assign, "{\"client\":\"TME840315KT6\"}", "client"),
                new Case("confirm without accepting", "POST", confirm,
                        "{\"key\":\"QMQ0B-FWQPJ-BY38V-P2NX3-M3SQG\",\"acceptLicense\":false,\"licenseVersion\":\"2026.1\"}", "acceptLicense"),
                new Case("an expiry in the past", "POST", mint, "{\"productSku\":\"SAE-12M\",\"quantity\":1,\"expiresAt\":\"2020-01-01T00:00:00Z\"}",
                        "expiresAt"),
                new Case("an expiry that is no date", "POST", mint, "{\"productSku\":\"SAE-12M\",\"quantity\":1,\"expiresAt\":\"mañana\"}",
                        "expiresAt"),
                new Case("a quantity of a billion", "POST", mint, "{\"productSku\":\"SAE-12M\",\"quantity\":1000000000}", "quantity"),
                new Case("a SKU in lowercase with a slash", "PUT", "/v1/admin/products/sae%2F..%2F12m",
                        "{\"name\":\"x\",\"description\":\"x\",\"termMonths\":12,\"license\":{\"version\":\"1\",\"title\":\"t\",\"url\":\"https://x.example\",\"text\":\"t\"}}",
                        "sku"),
                new Case("a client search of one letter", "GET", "/v1/clients?q=a", null, "q"),
                new Case("a client search of spaces and dots", "GET", "/v1/clients?q=" + URLEncoder.encode(" . . ", StandardCharsets.UTF_8), null, "q"),
                new Case("a client search with SQL", "GET", "/v1/clients?q=" + URLEncoder.encode("x'; DROP TABLE keys;--", StandardCharsets.UTF_8),
                        null, "q"),
                new Case("a client search with an emoji", "GET", "/v1/clients?q=" + URLEncoder.encode("Ferretería 🔨", StandardCharsets.UTF_8),
                        null, "q"),
                new Case("a client search with a zero-width space", "GET", "/v1/clients?q=" + URLEncoder.encode("Tel\u200Bmex", StandardCharsets.UTF_8),
                        null, "q"),
                new Case("a client search of 255 characters", "GET", "/v1/clients?q=" + "g".repeat(255), null, "q"),
                new Case("a clients cursor with SQL", "GET", "/v1/clients?cursor=" + URLEncoder.encode("' OR 1=1 --", StandardCharsets.UTF_8), null,
                        "cursor"),
                new Case("a client's email that is no address", "PUT", "/v1/clients/TME840315KT6", "{\"name\":\"Telmex\",\"email\":\"a@@b\"}", "email"),
                new Case("a client's notes with a NUL", "PUT", "/v1/clients/TME840315KT6", "{\"name\":\"Telmex\",\"notes\":\"x\\u0000y\"}", "notes"),
                new Case("a client's name with SQL", "PUT", "/v1/clients/TME840315KT6", "{\"name\":\"x'; DROP TABLE keys;--\"}", "name"),
                new Case("a correction without a reason", "POST", "/v1/prepaid-keys/" + demoKeyId + "/reassign",
                        "{\"client\":{\"rfc\":\"TME840315KT6\",\"name\":\"Telmex\"}}", "reason"),
                new Case("a correction whose reason has two lines", "POST", "/v1/prepaid-keys/" + demoKeyId + "/reassign",
                        "{\"client\":{\"rfc\":\"TME840315KT6\",\"name\":\"Telmex\"},\"reason\":\"uno\\ndos\"}", "reason"),
                new Case("a correction to an RFC with a script tag", "POST", "/v1/prepaid-keys/" + demoKeyId + "/reassign",
                        "{\"client\":{\"rfc\":\"<script>\",\"name\":\"Telmex\"},\"reason\":\"x\"}", "client.rfc"),
                new Case("an RFC in the path that is no RFC", "GET", "/v1/clients/%3Cscript%3E", null, null),
                new Case("an RFC in the path with a path traversal", "GET", "/v1/clients/..%2F..%2Fadmin/keys", null, null),
                new Case("an RFC in the path of 1,000 characters", "PUT", "/v1/clients/" + "A".repeat(1_000), "{\"name\":\"Telmex\"}", null),
                new Case("a key id with a path traversal", "GET", "/v1/prepaid-keys/..%2F..%2Fadmin", null, null),
                new Case("a key id of 1,000 characters", "GET", "/v1/prepaid-keys/" + "a".repeat(1_000), null, null),
                new Case("a key id in capitals", "POST", "/v1/prepaid-keys/" + demoKeyId.toUpperCase() + "/assign",
                        "{\"client\":{\"rfc\":\"TME840315KT6\",\"name\":\"Telmex\"}}", null),
                new Case("a batch id with SQL", "GET", "/v1/admin/key-batches/1%27%20OR%20%271%27%3D%271", null, null),
                new Case("a key id with a NUL", "POST", "/v1/admin/prepaid-keys/fpt4e1gnszv210vd5n8x6k5rd%00/void", "{\"reason\":\"x\"}", null),
                new Case("a cursor with SQL", "GET", list + "?cursor=" + URLEncoder.encode("' OR 1=1 --", StandardCharsets.UTF_8), null, "cursor"),
                new Case("a cursor that is a path", "GET", list + "?cursor=..%2F..%2Fetc%2Fpasswd", null, "cursor"),
                new Case("a cursor of 5,000 characters", "GET", list + "?cursor=" + "3." + "A".repeat(5_000), null, "cursor"),
                new Case("a cursor with a forged signature", "GET", list + "?cursor=3.e30.zz.ZGlzdC1ub3J0ZQ.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA",
                        null, "cursor"),
                new Case("a client filter with a script tag", "GET", list + "?client=" + URLEncoder.encode("<script>alert(1)</script>", StandardCharsets.UTF_8),
                        null, "client"),
                new Case("a client filter with SQL", "GET", list + "?client=" + URLEncoder.encode("x' OR '1'='1", StandardCharsets.UTF_8), null, "client"),
                new Case("a suffix with a wildcard", "GET", list + "?q=%25", null, "q"),
                new Case("a date range backwards", "GET", list + "?activatedFrom=2026-11-25&activatedTo=2026-01-01", null, "activatedFrom"),
                new Case("an unknown parameter", "GET", list + "?admin=true", null, "admin"),
                new Case("columns that do not exist", "GET", list + "?fields=keyId,pepper", null, "fields"),
                new Case("a limit of 10^12", "GET", list + "?limit=1000000000000", null, "limit"),
                new Case("a key end with a wildcard", "GET", find + "?suffix=%25", null, "suffix"),
                new Case("a key end of four symbols and a NUL", "GET", find + "?suffix=7Q2M%00", null, "suffix"),
                new Case("a distributor id that forges an index key", "GET", find + "?distributorId=dist-norte%23USED", null, "distributorId"),
                new Case("a search with no key end, batch or distributor", "GET", find + "?status=USED", null, "batchId"),
                new Case("an unknown parameter on the search", "GET", find + "?batchId=sae0000000000001&isAdmin=true", null, "isAdmin"),
                new Case("a search cursor with a forged signature", "GET", find + "?batchId=sae0000000000001&cursor="
                        + "4.1.zz.1.I2JhY2stb2ZmaWNl.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA", null, "cursor"),
                new Case("a batch list cursor that is a path", "GET", mint + "?cursor=..%2F..%2Fetc%2Fpasswd", null, "cursor"),
                new Case("a batch list of a thousand", "GET", mint + "?limit=1000", null, "limit"),
                new Case("a distributor id that forges an index key", "PUT", "/v1/admin/distributors/dist-norte%23USED",
                        distributorAccount("DNO010101AB0", "compras@norte.example"), "distributorId"),
                new Case("a distributor RFC in Arabic-Indic digits", "PUT", "/v1/admin/distributors/dist-hostil",
                        distributorAccount("DNO٠١٠١٠١AB0", "compras@norte.example"), "rfc"),
                new Case("a distributor RFC with SQL", "PUT", "/v1/admin/distributors/dist-hostil",
                        distributorAccount("x' OR '1'='1", "compras@norte.example"), "rfc"),
                new Case("a contact address with a header injected", "PUT", "/v1/admin/distributors/dist-hostil",
                        distributorAccount("DNO010101AB0", "compras@norte.example\\r\\nBcc: all@example.com"), "contactEmail"),
                new Case("a contact address with two @", "PUT", "/v1/admin/distributors/dist-hostil",
                        distributorAccount("DNO010101AB0", "a@b@norte.example"), "contactEmail"),
                new Case("a distributor id with a path traversal", "GET", "/v1/admin/distributors/..%2F..%2Fadmin", null, null),
                new Case("a distributor list of a thousand", "GET", "/v1/admin/distributors?limit=1000", null, "limit"),
                new Case("a distributor list cursor that is a path", "GET", "/v1/admin/distributors?cursor=..%2F..%2Fetc%2Fpasswd", null, "cursor"),
                new Case("an unknown parameter on the account", "GET", "/v1/account?distributorId=dist-sur", null, "distributorId"),
                new Case("a user id that forges an item key", "DELETE", "/v1/admin/lockouts/x%23DIST%23dist-norte", null, null),
                new Case("a user id of 1,000 characters", "DELETE", "/v1/admin/lockouts/" + "a".repeat(1_000), null, null),
                new Case("a parameter on the lockouts", "GET", "/v1/admin/lockouts?scope=ALL", null, "scope"),
                new Case("an audit range of ten years", "GET", "/v1/admin/audit?from=2016-01-01&to=2026-01-01", null, "from"),
                new Case("an audit range backwards", "GET", "/v1/admin/audit?from=2026-02-01&to=2026-01-01", null, "from"),
                new Case("an audit day that is no date", "GET", "/v1/admin/audit?to=ayer", null, "to"),
                new Case("an audit actor with SQL", "GET", "/v1/admin/audit?actor=" + URLEncoder.encode("x' OR '1'='1", StandardCharsets.UTF_8), null, "actor"),
                new Case("an audit action that does not exist", "GET", "/v1/admin/audit?action=DROP_TABLE", null, "action"),
                new Case("an audit cursor that is a path", "GET", "/v1/admin/audit?cursor=..%2F..%2Fetc%2Fpasswd", null, "cursor"),
                new Case("a report without its range", "GET", "/v1/admin/reports/activations?groupBy=month", null, "from"),
                new Case("a report without its last day", "GET", "/v1/admin/reports/activations?from=2026-01-01", null, "to"),
                new Case("a report day that is no date", "GET", "/v1/admin/reports/activations?from=2026-02-30&to=2026-03-01", null, "from"),
                new Case("a report day in another format", "GET", "/v1/admin/reports/activations?from=2026-01-01&to=01%2F03%2F2026", null, "to"),
                new Case("a report range of 367 days", "GET", "/v1/admin/reports/activations?from=2025-01-01&to=2026-01-02", null, "from"),
                new Case("a report range backwards", "GET", "/v1/admin/reports/activations?from=2026-02-01&to=2026-01-01", null, "from"),
                new Case("a report grouped by a column name with SQL", "GET", "/v1/admin/reports/activations?from=2026-01-01&to=2026-01-31&groupBy="
                        + URLEncoder.encode("sku; DROP TABLE", StandardCharsets.UTF_8), null, "groupBy"),
                new Case("a report grouped by day", "GET", "/v1/admin/reports/activations?from=2026-01-01&to=2026-01-31&groupBy=day", null, "groupBy"),
                new Case("a report grouping in capitals", "GET", "/v1/admin/reports/activations?from=2026-01-01&to=2026-01-31&groupBy=MONTH", null, "groupBy"),
                new Case("a report for one distributor (no such filter)", "GET",
                        "/v1/admin/reports/activations?from=2026-01-01&to=2026-01-31&distributorId=dist-sur", null, "distributorId")));
        for (int length : new int[] {1, 5, 24, 26, 29, 30, 60}) {
            String key = "QMQ0BFWQPJBY38VP2NX3M3SQGQMQ0BFWQPJBY38VP2NX3M3SQGQMQ0BFWQPJBY38V".substring(0, length);
            cases.add(new Case("a key of " + length + " characters", "POST", length % 2 == 0 ? capture : confirm,
                    length % 2 == 0 ? GuessingTest.body("capture", key) : GuessingTest.body("confirm", key), "key"));
        }
        return cases;
    }

    private static String distributorAccount(String rfc, String contactEmail) {
        return "{\"name\":\"Distribuidora Hostil\",\"rfc\":\"" + rfc + "\",\"contactEmail\":\"" + contactEmail + "\",\"status\":\"ACTIVE\"}";
    }

    /** Every item of the stack's table (a test's view; the service itself never scans). */
    private Map<String, Map<String, AttributeValue>> dump() {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        stack.dynamo.scanPaginator(r -> r.tableName(DevStack.TABLE).consistentRead(true)).items()
                .forEach(item -> items.put(item.get("PK").s() + " " + item.get("SK").s(), item));
        return items;
    }

    private static String difference(Map<String, Map<String, AttributeValue>> before, Map<String, Map<String, AttributeValue>> after) {
        List<String> changed = new ArrayList<>();
        after.forEach((id, item) -> {
            if (!item.equals(before.get(id))) changed.add(id);
        });
        before.keySet().forEach(id -> {
            if (!after.containsKey(id)) changed.add("-" + id);
        });
        return changed.toString();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…(" + text.length() + ")" : text;
    }
}
