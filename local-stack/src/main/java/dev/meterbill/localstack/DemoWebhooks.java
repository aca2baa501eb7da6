package dev.meterbill.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The demo's own webhook endpoint, as our user's system would run one: it registers itself for the demo
 * organisation's invoice and usage events, checks every request with the Standard Webhooks project's library,
 * and prints what it received.
 */
final class DemoWebhooks implements AutoCloseable {

    /** What the demo waits for. */
    static final Set<String> EXPECTED = Set.of("invoice.issued", "invoice.paid", "usage.threshold_reached");

    private record Received(String id, String type, boolean verified, String summary) {}

    private final ApiClient api = new ApiClient();
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile String secret;

    DemoWebhooks() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 20);
        server.createContext("/hooks", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean verified;
            try {
                new Webhook(secret).verify(body, exchange.getRequestHeaders());
                verified = true;
            } catch (WebhookVerificationException | RuntimeException e) {
                verified = false;
            }
            JsonNode event = ApiClient.JSON.readTree(body);
            JsonNode data = event.path("data");
            String summary = switch (event.path("type").asText()) {
                case "usage.threshold_reached" -> data.path("metricName").asText() + " reached "
                        + data.path("level").asText() + " in " + data.path("period").asText() + " (now "
                        + data.path("value").asText() + ")";
                case "invoice.issued", "invoice.paid" -> data.path("invoiceNumber").asText() + ", total "
                        + data.path("total").asText() + " " + data.path("currency").asText() + ", status "
                        + data.path("status").asText();
                default -> "";
            };
            received.add(new Received(exchange.getRequestHeaders().getFirst("webhook-id"), event.path("type").asText(),
                    verified, summary));
            exchange.sendResponseHeaders(verified ? 204 : 400, -1);
            exchange.close();
        });
        server.start();
    }

    /** Registers this endpoint for the organisation, and a usage alert at 1,000 api_calls this month. */
    void register(String billingApiUrl, String adminToken, String organisationId) throws Exception {
        JsonNode endpoint = api.post(billingApiUrl + "/api/v1/organisations/" + organisationId + "/webhook-endpoints",
                adminToken, Map.of("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks",
                        "description", "the demo's own endpoint", "eventTypes", List.copyOf(EXPECTED)))
                .expect(201).body();
        secret = endpoint.get("secret").asText();
        api.post(billingApiUrl + "/api/v1/organisations/" + organisationId + "/usage-alerts", adminToken,
                Map.of("kind", "quantity", "metricName", "api_calls", "values", List.of(1000),
                        "description", "1,000 API calls this month")).expect(201);
    }

    /** Waits for one verified event of each expected type and prints them; false if one did not come. */
    boolean awaitAndPrint(PrintStream out, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !EXPECTED.stream().allMatch(t -> received.stream()
                .anyMatch(r -> r.type().equals(t) && r.verified()))) {
            Thread.sleep(200);
        }
        out.printf("%nwebhooks the demo's endpoint received (Standard Webhooks signatures checked):%n");
        for (Received r : received) {
            out.printf("  %-24s %s  %s  %s%n", r.type(), r.id(), r.verified() ? "signature verified" : "SIGNATURE BAD",
                    r.summary());
        }
        boolean ok = EXPECTED.stream().allMatch(t -> received.stream().anyMatch(r -> r.type().equals(t) && r.verified()))
                && received.stream().allMatch(Received::verified);
        out.println(ok ? "WEBHOOKS OK: invoice.issued, invoice.paid and a usage threshold arrived, signed."
                : "WEBHOOKS FAILED: expected " + EXPECTED + " with valid signatures");
        return ok;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
