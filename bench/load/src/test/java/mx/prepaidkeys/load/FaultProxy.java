package mx.prepaidkeys.load;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import mx.prepaidkeys.local.Emulators;

/**
 * An emulator as one function sees it, with a fault at the moment a rule picks: the request
 * passes, or its answer is held (the request reached the service, the caller never hears back), or
 * it is refused with an error of the service's own. Only the chaos notifier is pointed at it, so
 * the fault hits the exact step between two writes, which no signal to a whole process can.
 */
final class FaultProxy implements AutoCloseable {
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

    /** A request as the rule sees it: {@code target} is the {@code X-Amz-Target} header (DynamoDB's operation), or empty. */
    record Request(String method, String path, String target, String body) {}

    sealed interface Action {
        record Pass() implements Action {}

        /** Forward it; if the service answers 2xx, hold that answer until {@link #release} (then drop it). */
        record HoldAnswer() implements Action {}

        record Refuse(int status, String contentType, String body) implements Action {}
    }

    interface Rule {
        Action on(Request request);
    }

    /** Counted down when an answer is held; {@link #heldAnswer} is that answer. */
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile String heldAnswer;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private FaultProxy(HttpServer server) {
        this.server = server;
    }

    static FaultProxy start(URI upstream, Rule rule) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Emulators.freePorts(1)[0]), 16);
            FaultProxy proxy = new FaultProxy(server);
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.createContext("/", exchange -> {
                try (exchange) {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    String target = exchange.getRequestHeaders().getFirst("x-amz-target");
                    Action action = rule.on(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                            target == null ? "" : target, new String(body, StandardCharsets.UTF_8)));
                    if (action instanceof Action.Refuse refuse) {
                        byte[] answer = refuse.body().getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders().set("content-type", refuse.contentType());
                        exchange.sendResponseHeaders(refuse.status(), answer.length);
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(answer);
                        }
                        return;
                    }
                    HttpRequest.Builder forward = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
                    exchange.getRequestHeaders().forEach((name, values) -> {
                        if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) values.forEach(v -> forward.header(name, v));
                    });
                    HttpResponse<byte[]> answer = proxy.http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                    if (action instanceof Action.HoldAnswer && answer.statusCode() / 100 == 2) {
                        proxy.heldAnswer = new String(answer.body(), StandardCharsets.UTF_8);
                        proxy.held.countDown();
                        proxy.release.await(60, TimeUnit.SECONDS);
                        return; // the caller is gone by now: the answer goes nowhere
                    }
                    answer.headers().map().forEach((name, values) -> {
                        if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                            exchange.getResponseHeaders().put(name, values);
                        }
                    });
                    exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer.body());
                    }
                } catch (IOException | InterruptedException e) {
                    // the caller went away (a killed notifier), or the service did
                }
            });
            server.start();
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a fault proxy", e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
