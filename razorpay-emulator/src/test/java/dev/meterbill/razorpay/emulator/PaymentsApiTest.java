package dev.meterbill.razorpay.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterbill.razorpay.emulator.testutils.EmulatorExtension;
import dev.meterbill.razorpay.emulator.testutils.RazorpayHttp.Answer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /v1/payments and /v1/refunds: what a checkout leaves behind, capture, full and partial refunds and their limits. */
class PaymentsApiTest {

    static final String KEY_ID = "rzp_test_payments";
    static final String KEY_SECRET = "payments_secret";
    @RegisterExtension
    static final EmulatorExtension emulator = new EmulatorExtension(KEY_ID, KEY_SECRET);

    String order(long amount) {
        return (String) emulator.api().post("/v1/orders", Map.of("amount", amount, "currency", "INR")).body().get("id");
    }

    @Test
    void aCapturedCheckoutPaysTheOrderAndShowsThePaymentWithRazorpaysFields() {
        String orderId = order(118000);

        SimulatedPayment paid = emulator.get().pay(orderId, PaymentSimulation.captured());

        Map<String, Object> payment = emulator.api().get("/v1/payments/" + paid.paymentId()).body();
        assertThat((String) payment.get("id")).matches("pay_[0-9A-Za-z]{14}");
        assertThat(payment).containsEntry("entity", "payment").containsEntry("amount", 118000)
                .containsEntry("currency", "INR").containsEntry("status", "captured").containsEntry("captured", true)
                .containsEntry("order_id", orderId).containsEntry("method", "upi").containsEntry("amount_refunded", 0)
                .containsEntry("refund_status", null).containsEntry("error_code", null)
                .containsKeys("fee", "tax", "email", "contact", "notes", "created_at");
        assertThat(emulator.api().get("/v1/orders/" + orderId).body()).containsEntry("status", "paid")
                .containsEntry("amount_paid", 118000).containsEntry("amount_due", 0).containsEntry("attempts", 1);
        Answer payments = emulator.api().get("/v1/orders/" + orderId + "/payments");
        assertThat(payments.body()).containsEntry("entity", "collection").containsEntry("count", 1);
    }

    @Test
    void aFailedPaymentCarriesItsErrorAndLeavesTheOrderAttempted() {
        String orderId = order(5000);

        SimulatedPayment failed = emulator.get().pay(orderId, PaymentSimulation.failed());

        assertThat(emulator.api().get("/v1/payments/" + failed.paymentId()).body()).containsEntry("status", "failed")
                .containsEntry("captured", false).containsEntry("error_code", "BAD_REQUEST_ERROR")
                .containsKeys("error_description", "error_source", "error_step", "error_reason");
        assertThat(emulator.api().get("/v1/orders/" + orderId).body()).containsEntry("status", "attempted")
                .containsEntry("amount_paid", 0);
    }

    @Test
    void failedThenCapturedIsTwoPaymentsOnOneOrder() {
        String orderId = order(5000);

        SimulatedPayment result = emulator.get().pay(orderId, PaymentSimulation.failedThenCaptured());

        assertThat(result.paymentIds()).hasSize(2).doesNotHaveDuplicates();
        assertThat(emulator.api().get("/v1/orders/" + orderId + "/payments").items()).extracting(p -> p.get("status"))
                .containsExactlyInAnyOrder("failed", "captured");
        assertThat(emulator.api().get("/v1/orders/" + orderId).body()).containsEntry("status", "paid").containsEntry("attempts", 2);
    }

    @Test
    void anAuthorizedPaymentIsCapturedThroughTheApiForItsExactAmount() {
        String orderId = order(5000);
        String paymentId = emulator.get().pay(orderId, PaymentSimulation.authorizedOnly()).paymentId();

        Answer wrongAmount = emulator.api().post("/v1/payments/" + paymentId + "/capture", Map.of("amount", 4000, "currency", "INR"));
        Answer captured = emulator.api().post("/v1/payments/" + paymentId + "/capture", Map.of("amount", 5000, "currency", "INR"));
        Answer again = emulator.api().post("/v1/payments/" + paymentId + "/capture", Map.of("amount", 5000, "currency", "INR"));

        assertThat(wrongAmount.status()).isEqualTo(400);
        assertThat(wrongAmount.error()).containsEntry("description", "Capture amount must be equal to the amount authorized");
        assertThat(captured.status()).isEqualTo(200);
        assertThat(captured.body()).containsEntry("status", "captured").containsEntry("captured", true);
        assertThat(again.error()).containsEntry("description", "This payment has already been captured");
        assertThat(emulator.api().get("/v1/orders/" + orderId).body()).containsEntry("status", "paid");
        assertThat(emulator.get().events()).extracting(WebhookEvent::type)
                .containsExactly("payment.authorized", "payment.captured", "order.paid");
    }

    @Test
    void aFailedPaymentCannotBeCaptured() {
        String paymentId = emulator.get().pay(order(5000), PaymentSimulation.failed()).paymentId();

        Answer capture = emulator.api().post("/v1/payments/" + paymentId + "/capture", Map.of("amount", 5000, "currency", "INR"));

        assertThat(capture.error()).containsEntry("description",
                "Only payments which have been authorized and not yet captured can be captured");
    }

    @Test
    void partialRefundsAddUpToAFullRefundAndNeverExceedTheCapturedAmount() {
        String paymentId = emulator.get().pay(order(10000), PaymentSimulation.captured()).paymentId();

        Answer first = emulator.api().post("/v1/payments/" + paymentId + "/refund",
                Map.of("amount", 3000, "notes", Map.of("reason", "goodwill")));
        Answer tooMuch = emulator.api().post("/v1/payments/" + paymentId + "/refund", Map.of("amount", 7001));
        assertThat(emulator.api().get("/v1/payments/" + paymentId).body()).containsEntry("status", "captured")
                .containsEntry("amount_refunded", 3000).containsEntry("refund_status", "partial");
        Answer rest = emulator.api().post("/v1/payments/" + paymentId + "/refund", Map.of());
        Answer afterFull = emulator.api().post("/v1/payments/" + paymentId + "/refund", Map.of("amount", 100));

        assertThat((String) first.body().get("id")).matches("rfnd_[0-9A-Za-z]{14}");
        assertThat(first.body()).containsEntry("entity", "refund").containsEntry("amount", 3000)
                .containsEntry("currency", "INR").containsEntry("payment_id", paymentId)
                .containsEntry("status", "processed").containsEntry("notes", Map.of("reason", "goodwill"));
        assertThat(tooMuch.status()).isEqualTo(400);
        assertThat(tooMuch.error()).containsEntry("description", "The refund amount provided is greater than amount captured");
        assertThat(rest.body()).containsEntry("amount", 7000);
        assertThat(afterFull.error()).containsEntry("description", "The payment has been fully refunded already");
        assertThat(emulator.api().get("/v1/payments/" + paymentId).body()).containsEntry("status", "refunded")
                .containsEntry("amount_refunded", 10000).containsEntry("refund_status", "full");
        assertThat(emulator.api().get("/v1/payments/" + paymentId + "/refunds").body()).containsEntry("count", 2);
        assertThat(emulator.api().get("/v1/refunds/" + first.body().get("id")).body()).containsEntry("amount", 3000);
        assertThat(emulator.api().get("/v1/payments/" + paymentId + "/refunds/" + first.body().get("id")).status()).isEqualTo(200);
    }

    @Test
    void onlyCapturedPaymentsCanBeRefunded() {
        String paymentId = emulator.get().pay(order(5000), PaymentSimulation.authorizedOnly()).paymentId();

        Answer refund = emulator.api().post("/v1/payments/" + paymentId + "/refund", Map.of("amount", 1000));

        assertThat(refund.status()).isEqualTo(400);
        assertThat(refund.error()).containsEntry("code", "BAD_REQUEST_ERROR");
        assertThat(emulator.api().get("/v1/refunds/rfnd_AAAAAAAAAAAAAA").error())
                .containsEntry("description", "The id provided does not exist");
    }

    @Test
    void aRefundEmitsRefundProcessedWithTheRefundAndThePayment() {
        String paymentId = emulator.get().pay(order(5000), PaymentSimulation.captured()).paymentId();

        emulator.api().post("/v1/payments/" + paymentId + "/refund", Map.of("amount", 5000));

        WebhookEvent last = emulator.get().events().get(emulator.get().events().size() - 1);
        assertThat(last.type()).isEqualTo("refund.processed");
        assertThat(last.payloadText()).contains("\"contains\":[\"refund\",\"payment\"]")
                .contains("\"status\":\"refunded\"");
    }

    @Test
    void aPaidOrderTakesNoFurtherPaymentsAndAnAuthorizedOneBlocksAnother() {
        String paidOrder = order(5000);
        emulator.get().pay(paidOrder, PaymentSimulation.captured());
        String authorizedOrder = order(5000);
        emulator.get().pay(authorizedOrder, PaymentSimulation.authorizedOnly());

        assertThatThrownBy(() -> emulator.get().pay(paidOrder, PaymentSimulation.captured()))
                .isInstanceOf(RazorpayApiException.class);
        assertThatThrownBy(() -> emulator.get().pay(authorizedOrder, PaymentSimulation.captured()))
                .isInstanceOf(RazorpayApiException.class);
    }

    @Test
    void aShortPaymentIsCapturedButLeavesTheOrderUnpaid() {
        String orderId = order(5000);

        SimulatedPayment shortPaid = emulator.get().pay(orderId, PaymentSimulation.captured().amount(4000));

        assertThat(shortPaid.eventTypes()).containsExactly("payment.authorized", "payment.captured");
        assertThat(emulator.api().get("/v1/orders/" + orderId).body()).containsEntry("status", "attempted")
                .containsEntry("amount_paid", 4000).containsEntry("amount_due", 1000);
    }
}
