package mx.prepaidkeys.acceptance;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network fault between a function and the real DynamoDB emulator: it passes every call through,
 * except the operations it is told to stall ({@code X-Amz-Target}, e.g. {@code TransactWriteItems}),
 * which it holds without an answer, as a dependency that stopped answering would, until it is told
 * to let them go. Not a fake: every answer comes from dynoxide.
 */
final class FaultProxy implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "transfer-encoding", "expect", "upgrade");

    private final HttpServer server;
    private final URI target;
    private final Set<String> stalled = ConcurrentHashMap.newKeySet();
    private volatile CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger held = new AtomicInteger();

    FaultProxy(URI target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::serve);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on, calls of these operations (e.g. "TransactWriteItems") get no answer. */
    void stall(String... operations) {
        released = new CountDownLatch(1);
        stalled.addAll(Set.of(operations));
    }

    /** Calls held so far, answered or not. */
    int held() {
        return held.get();
    }

    /** Stalls nothing more; the calls held are dropped (their caller gave up long ago). */
    void heal() {
        stalled.clear();
        released.countDown();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String operation = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            if (stalled.stream().anyMatch(operation::endsWith)) {
                held.incrementAndGet();
                try {
                    released.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return; // the connection closes without an answer
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().getRawPath()))
                    .timeout(Duration.ofSeconds(30)).method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) values.forEach(value -> forward.header(name, value));
            });
            HttpResponse<byte[]> answer = HTTP.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        heal();
        server.stop(0);
    }
}
