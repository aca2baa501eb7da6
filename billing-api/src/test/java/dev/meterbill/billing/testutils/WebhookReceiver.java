package dev.meterbill.billing.testutils;

import com.sun.net.httpserver.HttpServer;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Our users' side of outgoing webhooks: an HTTP endpoint that checks every request with the Standard Webhooks
 * project's own Java library (not our signing code), and that can be down, failing with 500, or well.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** What the endpoint does with a request. */
    public enum Mode { OK, FAIL, DOWN }

    /** A request as received, and whether its signature verified. */
    public record Received(String webhookId, String timestamp, String signature, String body, boolean verified,
                           int answered) {}

    private final int port;
    private volatile String secret;
    private volatile Mode mode = Mode.OK;
    private volatile HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    private WebhookReceiver(int port) {
        this.port = port;
    }

    public static WebhookReceiver start() {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        WebhookReceiver receiver = new WebhookReceiver(port);
        receiver.up();
        return receiver;
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/hooks";
    }

    /** The endpoint's signing secret, as registering it answered. */
    public void secret(String value) {
        this.secret = value;
    }

    public synchronized void mode(Mode next) {
        if (next == Mode.DOWN && server != null) {
            server.stop(0);
            server = null;
        } else if (next != Mode.DOWN && server == null) {
            up();
        }
        mode = next;
    }

    private synchronized void up() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
            s.setExecutor(Executors.newFixedThreadPool(8));
            s.createContext("/hooks", exchange -> {
                int now = inFlight.incrementAndGet();
                maxInFlight.accumulateAndGet(now, Math::max);
                try {
                    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    Map<String, List<String>> headers = exchange.getRequestHeaders();
                    boolean verified;
                    try {
                        new Webhook(secret).verify(body, headers);
                        verified = true;
                    } catch (WebhookVerificationException e) {
                        verified = false;
                    }
                    Thread.sleep(20);
                    int status = mode == Mode.FAIL ? 500 : verified ? 204 : 400;
                    received.add(new Received(exchange.getRequestHeaders().getFirst("webhook-id"),
                            exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                            exchange.getRequestHeaders().getFirst("webhook-signature"), body, verified, status));
                    exchange.sendResponseHeaders(status, -1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.decrementAndGet();
                    exchange.close();
                }
            });
            s.start();
            server = s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** The most requests it was answering at one time. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
