package dev.meterbill.razorpay.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.razorpay.emulator.testutils.EmulatorExtension;
import dev.meterbill.razorpay.emulator.testutils.RazorpayHttp;
import dev.meterbill.razorpay.emulator.testutils.WebhookReceiver;
import dev.meterbill.razorpay.emulator.testutils.WebhookReceiver.Received;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Signed webhooks: what is signed, what is sent, and every delivery plan a receiver must survive. */
class WebhookDeliveryTest {

    static final String SECRET = "whsec_emulator_test";
    static final Duration WAIT = Duration.ofSeconds(10);
    static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final EmulatorExtension emulator = new EmulatorExtension("rzp_test_hooks", "hooks_secret",
            new RetryPolicy(3, Duration.ofMillis(50), Duration.ofSeconds(2)));
    WebhookReceiver receiver;

    @BeforeEach
    void freshReceiver() throws Exception {
        receiver = WebhookReceiver.start();
        emulator.get().webhook(receiver.url(), SECRET);
    }

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    String order(long amount, Map<String, Object> notes) {
        return (String) emulator.api().post("/v1/orders", Map.of("amount", amount, "currency", "INR", "notes", notes))
                .body().get("id");
    }

    List<Received> settle() throws InterruptedException {
        assertThat(emulator.get().awaitIdle(WAIT)).isTrue();
        return receiver.received();
    }

    @Test
    void everyDeliveryIsSignedOverTheExactBytesSentEvenWithNonAsciiNotes() throws Exception {
        String orderId = order(118000, Map.of("memo", "बिल ₹1,180 — GST"));

        emulator.get().pay(orderId, PaymentSimulation.captured());

        List<Received> received = settle();
        assertThat(received).hasSize(3).allSatisfy(r -> {
            assertThat(r.signedWith(SECRET)).isTrue();
            assertThat(r.contentType()).isEqualTo("application/json");
        });
        Received orderPaid = received.get(2);
        // the body carries raw UTF-8, not \\u escapes, so a receiver that re-encodes the body breaks the signature
        assertThat(orderPaid.text()).contains("बिल ₹1,180 — GST");
        byte[] reencoded = new String(orderPaid.body(), StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8);
        assertThat(new Received(orderPaid.eventId(), orderPaid.signature(), null, reencoded, 0, 0).signedWith(SECRET))
                .isFalse();
        assertThat(orderPaid.signature()).isEqualTo(WebhookSigner.sign(SECRET, orderPaid.body())).matches("[0-9a-f]{64}");
    }

    @Test
    void aCapturedCheckoutDeliversAuthorizedCapturedAndPaidInThatOrder() throws Exception {
        String orderId = order(5000, Map.of("invoice_id", "inv-1"));

        SimulatedPayment paid = emulator.get().pay(orderId, PaymentSimulation.captured());

        List<Received> received = settle();
        assertThat(paid.eventTypes()).containsExactly("payment.authorized", "payment.captured", "order.paid");
        assertThat(receiver.eventIds()).containsExactlyElementsOf(paid.events().stream().map(WebhookEvent::id).toList());
        JsonNode event = JSON.readTree(received.get(2).body());
        assertThat(event.get("entity").asText()).isEqualTo("event");
        assertThat(event.get("account_id").asText()).isEqualTo(emulator.get().accountId()).matches("acc_[0-9A-Za-z]{14}");
        assertThat(event.get("event").asText()).isEqualTo("order.paid");
        assertThat(event.get("contains").toString()).isEqualTo("[\"payment\",\"order\"]");
        assertThat(event.at("/payload/payment/entity/id").asText()).isEqualTo(paid.paymentId());
        assertThat(event.at("/payload/payment/entity/status").asText()).isEqualTo("captured");
        assertThat(event.at("/payload/order/entity/status").asText()).isEqualTo("paid");
        assertThat(event.at("/payload/order/entity/notes/invoice_id").asText()).isEqualTo("inv-1");
        assertThat(event.get("created_at").isIntegralNumber()).isTrue();
        JsonNode authorized = JSON.readTree(received.get(0).body());
        assertThat(authorized.at("/payload/payment/entity/status").asText())
                .as("a payload is the entity as it was when the event happened").isEqualTo("authorized");
    }

    @Test
    void duplicatesDeliverEachEventTwiceWithTheSameIdAndBytes() throws Exception {
        SimulatedPayment paid = emulator.get().pay(order(5000, Map.of()),
                PaymentSimulation.captured().delivery(DeliveryPlan.duplicated()));

        List<Received> received = settle();
        assertThat(received).hasSize(6);
        Map<String, List<Received>> byEvent = received.stream().collect(Collectors.groupingBy(Received::eventId));
        assertThat(byEvent.keySet()).containsExactlyInAnyOrderElementsOf(paid.events().stream().map(WebhookEvent::id).toList());
        byEvent.values().forEach(pair -> {
            assertThat(pair).hasSize(2);
            assertThat(pair.get(0).body()).isEqualTo(pair.get(1).body());
            assertThat(pair.get(0).signature()).isEqualTo(pair.get(1).signature());
        });
    }

    @Test
    void concurrentDuplicatesArriveAtTheSameTime() throws Exception {
        receiver.hold(Duration.ofMillis(300));

        emulator.get().pay(order(5000, Map.of()), PaymentSimulation.failed().delivery(DeliveryPlan.duplicatedConcurrently()));

        List<Received> received = settle();
        assertThat(received).hasSize(2).extracting(Received::eventId).containsOnly(received.get(0).eventId());
        assertThat(received).extracting(Received::inFlightOnArrival).as("the second arrived while the first was open")
                .contains(2);
    }

    @Test
    void outOfOrderDeliversTheLastEventFirst() throws Exception {
        SimulatedPayment paid = emulator.get().pay(order(5000, Map.of()),
                PaymentSimulation.lateAuthorization().delivery(DeliveryPlan.reversed()));

        settle();
        assertThat(receiver.received()).extracting(r -> JSON.readTree(r.body()).get("event").asText())
                .containsExactly("order.paid", "payment.captured", "payment.authorized", "payment.failed");
        assertThat(paid.paymentIds()).as("late authorisation keeps one payment id").hasSize(1);
    }

    @Test
    void aDroppedDeliveryNeverComesButTheStateChangeIsVisibleThroughTheApi() throws Exception {
        String orderId = order(5000, Map.of());

        emulator.get().pay(orderId, PaymentSimulation.captured().delivery(DeliveryPlan.dropping("payment.captured", "order.paid")));

        List<Received> received = settle();
        assertThat(received).extracting(r -> JSON.readTree(r.body()).get("event").asText())
                .containsExactly("payment.authorized");
        assertThat(emulator.get().deliveries()).filteredOn(d -> d.outcome() == Delivery.Outcome.DROPPED)
                .extracting(Delivery::eventType).containsExactlyInAnyOrder("payment.captured", "order.paid");
        assertThat(emulator.api().get("/v1/orders/" + orderId).body()).containsEntry("status", "paid");
    }

    @Test
    void droppingWithoutEventTypesDropsEverything() throws Exception {
        emulator.get().pay(order(5000, Map.of()), PaymentSimulation.captured().delivery(DeliveryPlan.dropping()));

        assertThat(settle()).isEmpty();
        assertThat(emulator.get().deliveries()).hasSize(3).allMatch(d -> d.outcome() == Delivery.Outcome.DROPPED);
    }

    @Test
    void aDelayedDeliveryArrivesOnlyAfterTheDelay() throws Exception {
        long started = System.nanoTime();

        emulator.get().pay(order(5000, Map.of()), PaymentSimulation.failed().delivery(DeliveryPlan.delayed(Duration.ofMillis(600))));

        Thread.sleep(200);
        assertThat(receiver.received()).isEmpty();
        List<Received> received = settle();
        assertThat(received).hasSize(1);
        assertThat(Duration.ofNanos(received.get(0).arrivedNanos() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }

    @Test
    void aRejectedDeliveryIsRetriedWithTheSameEventIdAndSignatureUntilAccepted() throws Exception {
        receiver.answer(call -> call <= 2 ? 500 : 200);

        SimulatedPayment failed = emulator.get().pay(order(5000, Map.of()), PaymentSimulation.failed());

        List<Received> received = settle();
        assertThat(received).hasSize(3).extracting(Received::eventId).containsOnly(failed.events().get(0).id());
        assertThat(received).extracting(Received::signature).containsOnly(received.get(0).signature());
        assertThat(emulator.get().deliveries()).extracting(Delivery::attempt, Delivery::httpStatus, Delivery::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, 500, Delivery.Outcome.REJECTED),
                        org.assertj.core.groups.Tuple.tuple(2, 500, Delivery.Outcome.REJECTED),
                        org.assertj.core.groups.Tuple.tuple(3, 200, Delivery.Outcome.DELIVERED));
    }

    @Test
    void retriesStopAfterTheConfiguredNumber() throws Exception {
        receiver.answer(call -> 503);

        emulator.get().pay(order(5000, Map.of()), PaymentSimulation.failed());

        assertThat(settle()).hasSize(4);
        assertThat(emulator.get().deliveries()).hasSize(4).noneMatch(Delivery::delivered);
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeIsRetried() throws Exception {
        try (RazorpayEmulator impatient = RazorpayEmulator.start(0, "k", "s",
                new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(200)))) {
            receiver.hold(Duration.ofMillis(600));
            impatient.webhook(receiver.url(), SECRET);
            String orderId = (String) new RazorpayHttp(impatient.baseUrl(), "k", "s")
                    .post("/v1/orders", Map.of("amount", 100, "currency", "INR")).body().get("id");

            impatient.pay(orderId, PaymentSimulation.failed());

            assertThat(impatient.awaitIdle(WAIT)).isTrue();
            assertThat(impatient.deliveries()).extracting(Delivery::outcome)
                    .containsExactly(Delivery.Outcome.TIMED_OUT, Delivery.Outcome.TIMED_OUT);
        }
    }

    @Test
    void aRotatedSecretSignsLaterEventsOnly() throws Exception {
        emulator.get().pay(order(5000, Map.of()), PaymentSimulation.failed());
        settle();
        emulator.get().webhookSecret("whsec_rotated");

        emulator.get().pay(order(6000, Map.of()), PaymentSimulation.failed());

        List<Received> received = settle();
        assertThat(received.get(0).signedWith(SECRET)).isTrue();
        assertThat(received.get(1).signedWith(SECRET)).isFalse();
        assertThat(received.get(1).signedWith("whsec_rotated")).isTrue();
    }

    @Test
    void aRedeliveryReplaysTheSameEventIdAndBytes() throws Exception {
        SimulatedPayment failed = emulator.get().pay(order(5000, Map.of()), PaymentSimulation.failed());
        settle();

        emulator.get().redeliver(failed.events().get(0).id());

        List<Received> received = settle();
        assertThat(received).hasSize(2);
        assertThat(received.get(1).eventId()).isEqualTo(received.get(0).eventId());
        assertThat(received.get(1).body()).isEqualTo(received.get(0).body());
    }

    @Test
    void failedThenCapturedDeliversAFailureForOnePaymentAndASuccessForAnother() throws Exception {
        SimulatedPayment result = emulator.get().pay(order(5000, Map.of()), PaymentSimulation.failedThenCaptured());

        List<Received> received = settle();
        assertThat(result.eventTypes()).containsExactly("payment.failed", "payment.authorized", "payment.captured", "order.paid");
        assertThat(JSON.readTree(received.get(0).body()).at("/payload/payment/entity/id").asText())
                .isEqualTo(result.paymentIds().get(0));
        assertThat(JSON.readTree(received.get(3).body()).at("/payload/payment/entity/id").asText())
                .isEqualTo(result.paymentIds().get(1));
    }

    @Test
    void aMismatchedCurrencyIsCapturedButNeverPaysTheOrder() throws Exception {
        String orderId = order(5000, Map.of());

        SimulatedPayment paid = emulator.get().pay(orderId, PaymentSimulation.captured().currency("USD"));

        List<Received> received = settle();
        assertThat(paid.eventTypes()).containsExactly("payment.authorized", "payment.captured");
        assertThat(JSON.readTree(received.get(1).body()).at("/payload/payment/entity/currency").asText()).isEqualTo("USD");
        assertThat(emulator.api().get("/v1/orders/" + orderId).body()).containsEntry("status", "attempted");
    }

    @Test
    void withoutAWebhookEventsAreRecordedButNotSent() throws Exception {
        try (RazorpayEmulator quiet = RazorpayEmulator.start(0, "k", "s")) {
            String orderId = (String) new RazorpayHttp(quiet.baseUrl(), "k", "s")
                    .post("/v1/orders", Map.of("amount", 100, "currency", "INR")).body().get("id");

            quiet.pay(orderId, PaymentSimulation.failed());

            assertThat(quiet.awaitIdle(WAIT)).isTrue();
            assertThat(quiet.events()).hasSize(1);
            assertThat(quiet.deliveries()).extracting(Delivery::outcome).containsExactly(Delivery.Outcome.NO_WEBHOOK);
        }
    }
}
