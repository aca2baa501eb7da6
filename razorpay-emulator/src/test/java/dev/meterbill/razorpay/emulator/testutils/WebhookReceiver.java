package dev.meterbill.razorpay.emulator.testutils;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook endpoint for tests (JDK HttpServer): keeps every request's raw body bytes and headers, verifies
 * the signature itself (independently of the emulator's signer), and answers with a status a test chooses.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One received request, exactly as it arrived. */
    public record Received(String eventId, String signature, String contentType, byte[] body, long arrivedNanos,
                           int inFlightOnArrival) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** Recomputes HMAC-SHA256 over the raw bytes and compares in constant time. */
        public boolean signedWith(String secret) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                byte[] expected = HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
                return signature != null
                        && MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile IntUnaryOperator statusForCall = n -> 200;
    private volatile Duration holdEach = Duration.ZERO;

    private WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/webhooks/razorpay", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public static WebhookReceiver start() throws IOException {
        return new WebhookReceiver();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks/razorpay";
    }

    /** The status to answer the n-th request (1-based) with; 200 for all unless a test says otherwise. */
    public WebhookReceiver answer(IntUnaryOperator statusForCallNumber) {
        this.statusForCall = statusForCallNumber;
        return this;
    }

    /** Keeps each request open this long before answering (to observe overlapping deliveries). */
    public WebhookReceiver hold(Duration duration) {
        this.holdEach = duration;
        return this;
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public List<String> eventIds() {
        return received.stream().map(Received::eventId).toList();
    }

    /** Waits until at least {@code count} requests arrived. */
    public List<Received> awaitAtLeast(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return received();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int call = calls.incrementAndGet();
        int overlapping = inFlight.incrementAndGet();
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestHeaders().getFirst("X-Razorpay-Event-Id"),
                    exchange.getRequestHeaders().getFirst("X-Razorpay-Signature"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body, System.nanoTime(), overlapping));
            if (!holdEach.isZero()) {
                Thread.sleep(holdEach.toMillis());
            }
            exchange.sendResponseHeaders(statusForCall.applyAsInt(call), -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
