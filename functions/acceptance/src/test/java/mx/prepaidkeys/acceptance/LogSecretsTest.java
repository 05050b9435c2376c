package mx.prepaidkeys.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import mx.prepaidkeys.log.JsonLog;
import org.junit.jupiter.api.Test;

/**
 * Everything the service prints (the functions' logs, from their own processes, and this JVM's
 * output) during a full end-to-end run (sign-in, capture, confirm with the
 * email sent and retried while SES is down, list, history, assign, a minted batch, voids, a
 * resend, guesses and bad requests that carry keys) is captured: no plain key, in any spelling,
 * no token and no email body may appear in it, and every request leaves exactly one structured
 * "request" line with its request id, route, status, latency, distributor and user.
 */
class LogSecretsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestStack stack = TestStack.get();

    @Test
    void a_full_run_logs_one_line_per_request_and_never_a_key_a_token_or_an_email_body() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        PrintStream tee = new PrintStream(new Tee(originalOut, captured), true, StandardCharsets.UTF_8);
        PrintStream teeErr = new PrintStream(new Tee(originalErr, captured), true, StandardCharsets.UTF_8);
        Set<String> secrets = new LinkedHashSet<>();
        List<String> requestIds = new ArrayList<>();
        List<String> emailBodies = new ArrayList<>();
        System.setOut(tee);
        System.setErr(teeErr);
        JsonLog.redirect(tee);
        // the functions run in processes of their own: what they print reaches their logs through the runtime
        java.util.function.Consumer<mx.prepaidkeys.local.runtime.LambdaRuntime.FunctionLine> functionLog = line -> {
            synchronized (captured) {
                captured.writeBytes((line.line() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        };
        stack.local.lambda().listen(functionLog);
        try {
            ApiClient admin = stack.newUser(null);
            ApiClient user = stack.newUser("dist-log-" + UUID.randomUUID().toString().substring(0, 6));
            secrets.add(admin.token());
            secrets.add(user.token());

            var minted = record(requestIds, admin.post("/v1/admin/key-batches", "{\"productSku\":\"SAE-12M\",\"quantity\":4,\"note\":\"Bitácora\"}", "idempotency-key", java.util.UUID.randomUUID().toString()));
            List<String> keys = minted.json().path("keys").findValuesAsText("key");
            List<String> keyIds = minted.json().path("keys").findValuesAsText("keyId");
            keys.forEach(secrets::add);
            String batchId = minted.json().path("batchId").asText();

            record(requestIds, user.post("/v1/prepaid-keys/capture", "{\"key\":\"" + keys.get(0).toLowerCase(Locale.ROOT) + "\"}"));
            record(requestIds, user.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", keys.get(0))));
            var ses = stack.emulators.ses();
            ses.stop();
            try {
                record(requestIds, user.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", keys.get(1)), "idempotency-key", "log-" + keys.get(1)));
                stack.awaitEmailAttempts(keyIds.subList(1, 2), 2, Duration.ofSeconds(30)); // a failed attempt is logged
            } finally {
                ses.start(Duration.ofSeconds(30));
            }
            stack.awaitEmailsSettled(keyIds.subList(0, 2), Duration.ofSeconds(60));
            record(requestIds, user.get("/v1/prepaid-keys?limit=10&q=" + keys.get(0).substring(keys.get(0).length() - 4)));
            record(requestIds, user.get("/v1/prepaid-keys/" + keyIds.get(0)));
            record(requestIds, user.post("/v1/prepaid-keys/" + keyIds.get(0) + "/assign",
                    "{\"client\":{\"rfc\":\"TME840315KT6\",\"name\":\"Teléfonos de México\"}}"));
            record(requestIds, user.post("/v1/prepaid-keys/capture", "{\"key\":\"" + keys.get(2) + "\",\"extra\":\"" + keys.get(2) + "\"}"));
            String unknown = PrepaidKeyCodes.fresh();
            secrets.add(unknown);
            record(requestIds, user.post("/v1/prepaid-keys/capture", GuessingTest.body("capture", unknown)));
            String typo = GuessingTest.flipLast(keys.get(3));
            secrets.add(typo);
            record(requestIds, user.post("/v1/prepaid-keys/confirm", GuessingTest.body("confirm", typo)));
            record(requestIds, user.post("/v1/prepaid-keys/confirm", "{\"key\":\"" + keys.get(3).replace("-", " ") + "\",\"acceptLicense\":\"yes\"}"));
            record(requestIds, admin.post("/v1/admin/prepaid-keys/" + keyIds.get(2) + "/void", "{\"reason\":\"Clave " + "retirada\"}"));
            record(requestIds, admin.get("/v1/admin/prepaid-keys/" + keyIds.get(1)));
            record(requestIds, admin.get("/v1/admin/key-batches/" + batchId));
            record(requestIds, admin.post("/v1/admin/prepaid-keys/" + keyIds.get(1) + "/resend-email", null));
            stack.awaitEmailsSettled(keyIds.subList(1, 2), Duration.ofSeconds(30));
            record(requestIds, admin.post("/v1/admin/key-batches/" + batchId + "/void", "{\"reason\":\"Fin de la prueba\"}"));
            for (String key : keys.subList(0, 2)) {
                for (JsonNode email : stack.emailsAbout(GatewayRaceTest.masked(key))) emailBodies.add(email.path("body").path("text").asText());
            }
        } finally {
            stack.local.lambda().unlisten(functionLog);
            JsonLog.redirect(originalOut);
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        String log;
        synchronized (captured) {
            log = captured.toString(StandardCharsets.UTF_8);
        }

        assertFalse(emailBodies.isEmpty());
        List<String> leaks = new ArrayList<>();
        for (String secret : secrets) {
            for (String spelling : spellings(secret)) if (log.contains(spelling)) leaks.add(spelling);
        }
        for (String token : secrets) if (token.contains(".") && log.contains(token.substring(token.lastIndexOf('.') + 1))) leaks.add("a token signature");
        for (String body : emailBodies) {
            for (String line : body.split("\n")) {
                if (line.strip().length() > 40 && log.contains(line.strip())) leaks.add("email line: " + line.strip());
            }
        }
        assertEquals(List.of(), leaks, "secrets in the logs");

        Map<String, Integer> requestLines = new HashMap<>();
        int lines = 0;
        for (String line : log.split("\n")) {
            if (!line.startsWith("{\"timestamp\"")) continue;
            JsonNode entry = JSON.readTree(line);
            lines++;
            if (!entry.path("event").asText().equals("request")) continue;
            for (String field : List.of("requestId", "route", "status", "latencyMs", "userSub")) {
                assertTrue(entry.hasNonNull(field), "request lines carry " + field + ": " + line);
            }
            requestLines.merge(entry.path("requestId").asText(), 1, Integer::sum);
        }
        for (String requestId : requestIds) assertEquals(1, requestLines.getOrDefault(requestId, 0), "one request line for " + requestId);
        System.out.printf("logs: %d requests, %d JSON lines, %d KB captured; %d secrets (keys in 4 spellings, tokens) and %d email bodies "
                + "looked for: none found%n", requestIds.size(), lines, log.length() / 1024, secrets.size(), emailBodies.size());
    }

    private static ApiClient.Reply record(List<String> requestIds, ApiClient.Reply reply) {
        requestIds.add(reply.header("x-request-id"));
        return reply;
    }

    /** A key as people write it: formatted, without dashes, in lower case, with spaces. */
    private static List<String> spellings(String secret) {
        if (secret.length() != 29 || secret.chars().filter(c -> c == '-').count() != 4) return List.of(secret);
        String compact = secret.replace("-", "");
        return List.of(secret, compact, secret.toLowerCase(Locale.ROOT), compact.toLowerCase(Locale.ROOT), secret.replace("-", " "));
    }

    /** Writes to the console as usual and to the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream console;
        private final ByteArrayOutputStream capture;

        Tee(OutputStream console, ByteArrayOutputStream capture) {
            this.console = console;
            this.capture = capture;
        }

        @Override
        public void write(int b) {
            synchronized (capture) {
                capture.write(b);
            }
            try {
                console.write(b);
            } catch (java.io.IOException ignored) {
                // the console is best effort
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (capture) {
                capture.write(b, off, len);
            }
            try {
                console.write(b, off, len);
            } catch (java.io.IOException ignored) {
                // the console is best effort
            }
        }
    }
}
