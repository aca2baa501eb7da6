package dev.meterbill.billing.payment;

import static dev.meterbill.billing.testutils.PaymentStack.KEY_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.PaymentStack.Issued;
import dev.meterbill.billing.testutils.PaymentStack;
import dev.meterbill.razorpay.emulator.DeliveryPlan;
import dev.meterbill.razorpay.emulator.PaymentSimulation;
import dev.meterbill.razorpay.emulator.SimulatedPayment;
import dev.meterbill.razorpay.emulator.WebhookSigner;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhooks that never came are made good by the reconciliation, through the same path as webhooks:
 * a payment fetched and later delivered too is recorded once. The checkout callback records a
 * payment provisionally; Razorpay's own figures confirm it.
 */
class ReconciliationIT {

    @RegisterExtension
    static final PaymentStack stack = PaymentStack.perClass();

    private static String status(Issued invoice) {
        return stack.invoice(invoice.id()).get("status").asText();
    }

    private static long auditRows() {
        return stack.count("SELECT count(*) FROM audit_logs");
    }

    @Test
    void aPaymentWhoseWebhooksNeverCameIsRecordedByTheReconciliation() {
        Issued invoice = stack.issued("Missed Webhooks Ltd");
        SimulatedPayment paid = stack.emulator().pay(invoice.orderId(),
                PaymentSimulation.captured().delivery(DeliveryPlan.dropping()));
        stack.awaitWebhooks();
        assertThat(status(invoice)).isEqualTo("issued");

        Response reconciled = stack.reconcile("{}");

        assertThat(reconciled.status()).as(reconciled.body()).isEqualTo(200);
        assertThat(reconciled.json().get("invoicesPaid").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(status(invoice)).isEqualTo("paid");
        assertThat(stack.database().queryValue(String.class,
                "SELECT actor FROM audit_logs WHERE entity_id = ? AND action = 'invoice.paid'", invoice.id().toString()))
                .isEqualTo(PaymentReconciler.ACTOR);

        long audit = auditRows();
        paid.events().forEach(e -> stack.emulator().redeliver(e.id()));
        stack.awaitWebhooks();

        assertThat(stack.count("SELECT count(*) FROM payments WHERE invoice_id = ?", invoice.id())).isEqualTo(1);
        assertThat(auditRows()).as("the late webhooks change nothing").isEqualTo(audit);
        assertThat(stack.count("SELECT count(*) FROM webhook_events WHERE outcome = 'unchanged' AND event_id IN ("
                + "SELECT unnest(?::text[]))", (Object) paid.events().stream().map(e -> e.id()).toArray(String[]::new)))
                .isEqualTo(paid.events().size());
    }

    @Test
    void aCaptureWhoseWebhookWasDroppedIsCompletedFromAnAuthorizedPayment() {
        Issued invoice = stack.issued("Half Delivered Ltd");
        SimulatedPayment paid = stack.emulator().pay(invoice.orderId(),
                PaymentSimulation.captured().delivery(DeliveryPlan.dropping("payment.captured", "order.paid")));
        stack.awaitWebhooks();
        String before = stack.database().queryValue(String.class,
                "SELECT status FROM payments WHERE razorpay_payment_id = ?", paid.paymentId());

        stack.running().api().reconcilePayments();

        assertThat(before).isEqualTo("authorized");
        assertThat(stack.database().queryValue(String.class,
                "SELECT status FROM payments WHERE razorpay_payment_id = ?", paid.paymentId())).isEqualTo("captured");
        assertThat(status(invoice)).isEqualTo("paid");
    }

    @Test
    void theReconciliationAndLateWebhooksRacingRecordOnePayment() {
        Issued invoice = stack.issued("Race To Record Ltd");
        stack.emulator().pay(invoice.orderId(),
                PaymentSimulation.captured().delivery(DeliveryPlan.delayed(Duration.ofMillis(150))));

        for (int i = 0; i < 5; i++) {
            stack.reconcile("{\"invoiceId\":\"" + invoice.id() + "\"}");
        }
        stack.awaitWebhooks();

        assertThat(stack.count("SELECT count(*) FROM payments WHERE invoice_id = ?", invoice.id())).isEqualTo(1);
        assertThat(stack.count("SELECT count(*) FROM audit_logs WHERE entity_id = ? AND action = 'invoice.paid'",
                invoice.id().toString())).isEqualTo(1);
        assertThat(status(invoice)).isEqualTo("paid");
    }

    @Test
    void onlyInvoicesUnpaidForLongerThanTheThresholdAreChecked() {
        stack.issued("Too Fresh Ltd");

        Response response = stack.reconcile("{\"olderThanMinutes\":100000}");

        assertThat(response.json().get("invoicesChecked").asInt()).isZero();
    }

    @Test
    void theCheckoutCallbackRecordsAProvisionalPaymentThatRazorpayConfirms() {
        Issued invoice = stack.issued("Checkout Ltd");
        SimulatedPayment paid = stack.emulator().pay(invoice.orderId(),
                PaymentSimulation.captured().delivery(DeliveryPlan.dropping()));
        String signature = checkoutSignature(invoice.orderId(), paid.paymentId());

        Response callback = stack.client().postJson("/api/v1/payments/razorpay/callback", null, callbackJson(
                invoice.orderId(), paid.paymentId(), signature));
        Response repeated = postForm(invoice.orderId(), paid.paymentId(), signature);

        assertThat(callback.status()).as(callback.body()).isEqualTo(200);
        assertThat(callback.json().get("paymentStatus").asText()).isEqualTo("authorized");
        assertThat(callback.json().get("confirmed").asBoolean()).isFalse();
        assertThat(callback.json().get("invoiceStatus").asText()).as("a callback never pays").isEqualTo("issued");
        assertThat(repeated.status()).as(repeated.body()).isEqualTo(200);
        assertThat(stack.count("SELECT count(*) FROM payments WHERE invoice_id = ?", invoice.id())).isEqualTo(1);

        stack.reconcile("{\"invoiceId\":\"" + invoice.id() + "\"}");

        JsonNode payment = stack.payments(invoice.id()).get("payments").get(0);
        assertThat(payment.get("status").asText()).isEqualTo("captured");
        assertThat(payment.get("provisional").asBoolean()).isFalse();
        assertThat(status(invoice)).isEqualTo("paid");
    }

    @Test
    void aForgedCheckoutCallbackStoresNothing() {
        Issued invoice = stack.issued("Forged Checkout Ltd");
        SimulatedPayment paid = stack.emulator().pay(invoice.orderId(),
                PaymentSimulation.captured().delivery(DeliveryPlan.dropping()));
        long audit = auditRows();

        Response forged = stack.client().postJson("/api/v1/payments/razorpay/callback", null, callbackJson(
                invoice.orderId(), paid.paymentId(), WebhookSigner.sign("guessed-secret",
                        (invoice.orderId() + "|" + paid.paymentId()).getBytes(StandardCharsets.UTF_8))));
        Response swapped = stack.client().postJson("/api/v1/payments/razorpay/callback", null, callbackJson(
                invoice.orderId(), "pay_SomeoneElses01", checkoutSignature(invoice.orderId(), paid.paymentId())));
        Response incomplete = stack.client().postJson("/api/v1/payments/razorpay/callback", null,
                "{\"razorpay_order_id\":\"" + invoice.orderId() + "\"}");

        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.json().get("type").asText()).endsWith("/invalid-signature");
        assertThat(swapped.status()).isEqualTo(400);
        assertThat(incomplete.status()).isEqualTo(400);
        assertThat(incomplete.json().get("errors").findValuesAsText("field"))
                .containsExactly("razorpay_payment_id", "razorpay_signature");
        assertThat(stack.count("SELECT count(*) FROM payments WHERE invoice_id = ?", invoice.id())).isZero();
        assertThat(auditRows()).isEqualTo(audit);
    }

    private static String checkoutSignature(String orderId, String paymentId) {
        return WebhookSigner.sign(KEY_SECRET, (orderId + "|" + paymentId).getBytes(StandardCharsets.UTF_8));
    }

    private static String callbackJson(String orderId, String paymentId, String signature) {
        return "{\"razorpay_order_id\":\"" + orderId + "\",\"razorpay_payment_id\":\"" + paymentId
                + "\",\"razorpay_signature\":\"" + signature + "\"}";
    }

    private static Response postForm(String orderId, String paymentId, String signature) {
        String form = "razorpay_order_id=" + enc(orderId) + "&razorpay_payment_id=" + enc(paymentId)
                + "&razorpay_signature=" + enc(signature);
        return stack.client().send(stack.client().request("/api/v1/payments/razorpay/callback", null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
