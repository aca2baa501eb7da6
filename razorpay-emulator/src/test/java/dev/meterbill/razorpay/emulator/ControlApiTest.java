package dev.meterbill.razorpay.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.razorpay.emulator.testutils.EmulatorExtension;
import dev.meterbill.razorpay.emulator.testutils.RazorpayHttp.Answer;
import dev.meterbill.razorpay.emulator.testutils.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The /_emulator/ controls, for out-of-process use: configure, pay, inspect deliveries, replay, reset. */
class ControlApiTest {

    @RegisterExtension
    static final EmulatorExtension emulator = new EmulatorExtension("rzp_test_control", "control_secret");

    @Test
    @SuppressWarnings("unchecked")
    void aCheckoutIsDrivenEntirelyOverHttp() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            assertThat(emulator.control().post("/_emulator/reset", Map.of()).status()).isEqualTo(204);
            assertThat(emulator.control().put("/_emulator/webhook", Map.of("url", receiver.url(), "secret", "whsec_ctl")).status())
                    .isEqualTo(204);
            String orderId = (String) emulator.api().post("/v1/orders", Map.of("amount", 5000, "currency", "INR")).body().get("id");

            Answer paid = emulator.control().post("/_emulator/orders/" + orderId + "/pay", Map.of("outcome", "captured",
                    "delivery", Map.of("mode", "drop", "drop", List.of("order.paid"))));
            Answer deliveries = emulator.control().get("/_emulator/deliveries?awaitIdleMs=10000");

            assertThat(paid.status()).isEqualTo(200);
            assertThat(paid.body()).containsEntry("orderId", orderId);
            assertThat((List<String>) paid.body().get("paymentIds")).hasSize(1);
            assertThat((List<Map<String, Object>>) paid.body().get("events")).extracting(e -> e.get("event"))
                    .containsExactly("payment.authorized", "payment.captured", "order.paid");
            assertThat(deliveries.body()).containsEntry("idle", true);
            assertThat((List<Map<String, Object>>) deliveries.body().get("deliveries"))
                    .extracting(d -> d.get("event") + ":" + d.get("outcome"))
                    .containsExactlyInAnyOrder("payment.authorized:DELIVERED", "payment.captured:DELIVERED",
                            "order.paid:DROPPED");
            assertThat(receiver.received()).allMatch(r -> r.signedWith("whsec_ctl")).hasSize(2);
            assertThat(emulator.api().get("/v1/orders/" + orderId).body()).containsEntry("status", "paid");

            String paidEvent = ((List<Map<String, String>>) paid.body().get("events")).get(2).get("id");
            assertThat(emulator.control().post("/_emulator/events/" + paidEvent + "/redeliver", Map.of()).status()).isEqualTo(202);
            assertThat(emulator.get().awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(receiver.eventIds()).contains(paidEvent);

            assertThat(emulator.control().put("/_emulator/webhook/secret", Map.of("secret", "whsec_new")).status()).isEqualTo(204);
            Answer events = emulator.control().get("/_emulator/events");
            assertThat((List<Map<String, Object>>) events.body().get("events")).hasSize(3)
                    .allSatisfy(e -> assertThat((String) e.get("payload")).startsWith("{\"entity\":\"event\""));
        }
    }

    @Test
    void badControlInputIsA400AndNeedsNoCredentials() {
        String orderId = (String) emulator.api().post("/v1/orders", Map.of("amount", 5000, "currency", "INR")).body().get("id");

        Answer badOutcome = emulator.control().post("/_emulator/orders/" + orderId + "/pay", Map.of("outcome", "teleported"));
        Answer unknownOrder = emulator.control().post("/_emulator/orders/order_AAAAAAAAAAAAAA/pay", Map.of("outcome", "failed"));

        assertThat(badOutcome.status()).isEqualTo(400);
        assertThat(badOutcome.error()).containsEntry("field", "outcome");
        assertThat(unknownOrder.error()).containsEntry("description", "The id provided does not exist");
        assertThat(emulator.control().get("/_emulator/health").body()).containsEntry("status", "up");
    }

    @Test
    void resetForgetsEverything() {
        String orderId = (String) emulator.api().post("/v1/orders", Map.of("amount", 5000, "currency", "INR")).body().get("id");
        emulator.control().post("/_emulator/orders/" + orderId + "/pay", Map.of("outcome", "failed"));

        emulator.control().post("/_emulator/reset", Map.of());

        assertThat(emulator.api().get("/v1/orders/" + orderId).error()).containsEntry("description", "The id provided does not exist");
        assertThat(emulator.get().events()).isEmpty();
        assertThat(emulator.get().deliveries()).isEmpty();
    }
}
