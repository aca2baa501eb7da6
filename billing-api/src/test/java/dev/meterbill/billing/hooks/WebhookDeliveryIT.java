package dev.meterbill.billing.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.meterbill.billing.BillingApi;
import dev.meterbill.billing.testutils.PaymentStack;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.WebhookReceiver;
import dev.meterbill.billing.testutils.WebhookReceiver.Mode;
import dev.meterbill.razorpay.emulator.PaymentSimulation;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Outgoing webhooks to a receiver that verifies them with the Standard Webhooks project's own library: signed
 * events for what happens to an invoice, at least once and in order through an outage and a failing receiver,
 * never two attempts at once although two billing-api instances deliver.
 */
class WebhookDeliveryIT {

    private static final WebhookReceiver receiver = WebhookReceiver.start();
    @RegisterExtension
    static final PaymentStack stack = PaymentStack.perClassWith(config -> config
            .withWebhooks(WebhookSettings.local(Duration.ofMillis(100))));

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    private static RunningBillingApi running() {
        return stack.running();
    }

    /** An endpoint registered with the organisation's key. */
    private record Endpoint(String id, String secret) {}

    /** An endpoint of the organisation at the receiver, whose checks then use its secret. */
    private static Endpoint endpoint(OrgFixture org) {
        Response made = stack.client().postJson("/api/v1/organisations/" + org.id() + "/webhook-endpoints", org.secretKey(),
                "{\"url\":\"" + receiver.url() + "\",\"description\":\"our billing sync\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String secret = made.json().get("secret").asText();
        assertThat(secret).matches("whsec_[A-Za-z0-9+/]{43}=");
        receiver.secret(secret);
        return new Endpoint(made.json().get("id").asText(), secret);
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!done.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(deadline);
            Thread.sleep(50);
        }
    }

    private static long count(String sql, Object... args) {
        return running().database().queryValue(Long.class, sql, args);
    }

    @Test
    void anIssuedInvoiceIsSignedTheStandardWebhooksWayAndATamperedBodyFailsTheCheck() throws Exception {
        receiver.mode(Mode.OK);
        UUID draft = stack.draftInvoice("Hooked Pvt Ltd");
        OrgFixture org = stack.lastOrganisation();
        // the endpoint comes after the invoice was generated: only what happens from now on is sent
        Endpoint endpoint = endpoint(org);
        String invoice = stack.issue(draft).json().get("id").asText();

        await("invoice.issued arrives", () -> receiver.received().stream().anyMatch(r -> r.body().contains(invoice)));
        WebhookReceiver.Received got = receiver.received().stream().filter(r -> r.body().contains(invoice))
                .findFirst().orElseThrow();
        assertThat(got.verified()).as("the Standard Webhooks library accepts our signature").isTrue();
        assertThat(got.webhookId()).matches("evt_[0-9a-f]{32}");
        JsonNode payload = HttpTestClient.JSON.readTree(got.body());
        assertThat(payload.get("id").asText()).isEqualTo(got.webhookId());
        assertThat(payload.get("type").asText()).isEqualTo("invoice.issued");
        assertThat(payload.get("apiVersion").asText()).isEqualTo(WebhookEvents.API_VERSION);
        assertThat(payload.get("data").get("id").asText()).isEqualTo(invoice);
        assertThat(payload.get("data").get("status").asText()).isEqualTo("issued");
        assertThat(receiver.received()).noneMatch(r -> r.body().contains("invoice.created")
                && r.body().contains(invoice));

        Map<String, List<String>> headers = Map.of("webhook-id", List.of(got.webhookId()),
                "webhook-timestamp", List.of(got.timestamp()), "webhook-signature", List.of(got.signature()));
        new Webhook(endpoint.secret()).verify(got.body(), headers);
        String tampered = got.body().replace("\"issued\"", "\"paid\"");
        assertThat(tampered).isNotEqualTo(got.body());
        assertThatThrownBy(() -> new Webhook(endpoint.secret()).verify(tampered, headers))
                .isInstanceOf(WebhookVerificationException.class);

        // a rotated secret: both sign while the old one overlaps, so either verifies
        Response rotated = stack.client().postJson("/api/v1/organisations/" + org.id() + "/webhook-endpoints/" + endpoint.id()
                + "/secret", org.secretKey(), "{\"overlapHours\":1}");
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        String fresh = rotated.json().get("secret").asText();
        assertThat(fresh).isNotEqualTo(endpoint.secret());
        receiver.secret(fresh);
        Response pingAnswer = stack.client().postJson("/api/v1/organisations/" + org.id() + "/webhook-endpoints/"
                + endpoint.id() + "/ping", org.secretKey(), "");
        assertThat(pingAnswer.status()).as(pingAnswer.body()).isEqualTo(202);
        String pinged = pingAnswer.json().get("eventId").asText();
        await("the ping arrives", () -> receiver.received().stream().anyMatch(r -> pinged.equals(r.webhookId())));
        WebhookReceiver.Received ping = receiver.received().stream().filter(r -> pinged.equals(r.webhookId()))
                .findFirst().orElseThrow();
        assertThat(ping.verified()).isTrue();
        assertThat(ping.signature().split(" ")).hasSize(2);
        new Webhook(endpoint.secret()).verify(ping.body(), Map.of("webhook-id", List.of(ping.webhookId()),
                "webhook-timestamp", List.of(ping.timestamp()), "webhook-signature", List.of(ping.signature())));
    }

    @Test
    void throughAnOutageAndA500EveryEventArrivesInOrderAndNoAttemptRunsTwiceAtOnce() throws Exception {
        receiver.mode(Mode.OK);
        UUID draft = stack.draftInvoice("Outage Pvt Ltd");
        OrgFixture org = stack.lastOrganisation();
        String endpoint = endpoint(org).id();
        receiver.mode(Mode.DOWN);
        try (BillingApi second = BillingApi.create(RunningBillingApi.config(running().database())
                .withWebhooks(WebhookSettings.local(Duration.ofMillis(100)))).start(0)) {
            // events while the receiver is down: issued, paid, three pings
            String orderId = stack.issue(draft).json().get("razorpayOrderId").asText();
            stack.emulator().pay(orderId, PaymentSimulation.captured());
            stack.awaitWebhooks();
            for (int i = 0; i < 3; i++) {
                stack.client().postJson("/api/v1/organisations/" + org.id() + "/webhook-endpoints/" + endpoint + "/ping",
                        org.secretKey(), "");
            }
            List<String> events = running().database().rows("SELECT e.id FROM outgoing_events e JOIN outgoing_deliveries d"
                    + " ON d.event_id = e.id WHERE d.endpoint_id = '" + endpoint + "' ORDER BY d.seq");
            assertThat(events).hasSize(5);
            // both instances deliver, by their schedule and as fast as they can
            CompletableFuture<Void> pushing = CompletableFuture.runAsync(() -> {
                Instant until = Instant.now().plusSeconds(40);
                while (Instant.now().isBefore(until) && count("SELECT count(*) FROM outgoing_deliveries"
                        + " WHERE endpoint_id = ?::uuid AND status = 'pending'", endpoint) > 0) {
                    CompletableFuture<Integer> one = CompletableFuture.supplyAsync(() -> running().api().deliverWebhooks());
                    CompletableFuture<Integer> two = CompletableFuture.supplyAsync(second::deliverWebhooks);
                    one.join();
                    two.join();
                }
            });
            await("attempts fail while the receiver is down", () -> count("SELECT count(*) FROM outgoing_attempts a"
                    + " JOIN outgoing_deliveries d ON d.id = a.delivery_id WHERE d.endpoint_id = ?::uuid"
                    + " AND a.status_code IS NULL", endpoint) >= 3);
            receiver.mode(Mode.FAIL);
            await("the receiver answers 500 for a while", () -> receiver.received().stream()
                    .filter(r -> r.answered() == 500).count() >= 2);
            receiver.mode(Mode.OK);
            pushing.get();
        }

        List<WebhookReceiver.Received> all = receiver.received().stream()
                .filter(r -> r.body().contains(org.id().toString()) || r.body().contains(endpoint)).toList();
        List<String> events = running().database().rows("SELECT e.id FROM outgoing_events e JOIN outgoing_deliveries d"
                + " ON d.event_id = e.id WHERE d.endpoint_id = '" + endpoint + "' ORDER BY d.seq");
        Set<String> delivered = new LinkedHashSet<>();
        all.stream().filter(r -> r.answered() == 204).forEach(r -> delivered.add(r.webhookId()));
        assertThat(new ArrayList<>(delivered)).as("every event arrived, in order").isEqualTo(events);
        assertThat(all).allMatch(WebhookReceiver.Received::verified);
        assertThat(all.stream().filter(r -> r.answered() == 500).map(WebhookReceiver.Received::webhookId))
                .as("a retry carries the same webhook-id").isSubsetOf(events);
        assertThat(receiver.maxInFlight()).as("never two attempts at once").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outgoing_deliveries WHERE endpoint_id = ?::uuid AND status = 'delivered'",
                endpoint)).isEqualTo(5L);
        JsonNode log = stack.client().get("/api/v1/organisations/" + org.id() + "/webhook-endpoints/" + endpoint
                + "/deliveries", org.secretKey()).json().get("deliveries");
        assertThat(log).hasSize(5);
        assertThat(log.findValuesAsText("status")).containsOnly("delivered");
        assertThat(log.findValuesAsText("eventType")).contains("invoice.issued", "invoice.paid", "ping");
        assertThat(log.get(log.size() - 1).get("attempts").asInt()).as("the first event waited out the outage")
                .isGreaterThan(2);
    }
}
