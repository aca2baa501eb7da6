package dev.meterbill.billing.payment;

import static dev.meterbill.billing.testutils.PaymentStack.TOTAL_MINOR;
import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.razorpay.RazorpayClient;
import dev.meterbill.billing.testutils.PaymentStack.Issued;
import dev.meterbill.billing.testutils.PaymentStack;
import dev.meterbill.billing.testutils.SdkFaults;
import dev.meterbill.razorpay.emulator.DeliveryPlan;
import dev.meterbill.razorpay.emulator.PaymentSimulation;
import dev.meterbill.razorpay.emulator.SimulatedPayment;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Refunds through razorpay-java: full and partial, never beyond the capture, each recorded once. */
class RefundIT {

    @RegisterExtension
    static final PaymentStack stack = PaymentStack.perClass();

    private record Paid(UUID id, String paymentId) {}

    private static Paid paidInvoice(String name) {
        Issued invoice = stack.issued(name);
        SimulatedPayment paid = stack.emulator().pay(invoice.orderId(), PaymentSimulation.captured());
        stack.awaitWebhooks();
        assertThat(stack.invoice(invoice.id()).get("status").asText()).isEqualTo("paid");
        return new Paid(invoice.id(), paid.paymentId());
    }

    private static Response refund(Paid invoice, String body, String... headers) {
        return stack.client().send("POST", "/api/v1/invoices/" + invoice.id() + "/refunds", ADMIN_TOKEN, body, headers);
    }

    private static long refunded(Paid invoice) {
        return stack.payments(invoice.id()).get("amountRefundedMinor").asLong();
    }

    private static int razorpayRefunds(Paid invoice) throws Exception {
        return new RazorpayClient(PaymentStack.KEY_ID, PaymentStack.KEY_SECRET).payments
                .fetchAllRefunds(invoice.paymentId()).size();
    }

    @Test
    void aFullRefundReturnsEverythingCapturedAndIsAudited() throws Exception {
        Paid invoice = paidInvoice("Full Refund Ltd");

        Response response = refund(invoice, "{\"reason\":\"Duplicate charge ₹\"}");
        stack.awaitWebhooks();

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode refund = response.json();
        assertThat(refund.get("amountMinor").asLong()).isEqualTo(TOTAL_MINOR);
        assertThat(refund.get("status").asText()).isEqualTo("processed");
        assertThat(refund.get("razorpayRefundId").asText()).startsWith("rfnd_");
        assertThat(refund.get("reason").asText()).isEqualTo("Duplicate charge ₹");
        assertThat(refunded(invoice)).isEqualTo(TOTAL_MINOR);
        assertThat(stack.invoice(invoice.id()).get("status").asText()).as("a paid invoice stays paid").isEqualTo("paid");
        assertThat(razorpayRefunds(invoice)).isEqualTo(1);
        String refundId = refund.get("id").asText();
        assertThat(stack.count("SELECT count(*) FROM audit_logs WHERE entity_id = ? AND action IN "
                + "('refund.requested', 'refund.processed')", refundId)).isEqualTo(2);
        assertThat(stack.count("SELECT count(*) FROM audit_logs WHERE action = 'payment.refunded'"
                + " AND after_state->>'razorpayPaymentId' = ?", invoice.paymentId())).isEqualTo(1);
        assertThat(stack.count("SELECT count(*) FROM webhook_events WHERE event_type = 'refund.processed'"
                + " AND payload->'payload'->'refund'->'entity'->>'id' = ? AND processed_at IS NOT NULL",
                refund.get("razorpayRefundId").asText())).as("the refund webhook was received once").isEqualTo(1);
    }

    @Test
    void partialRefundsAddUpToTheCaptureAndNoFurther() throws Exception {
        Paid invoice = paidInvoice("Partial Refund Ltd");

        Response first = refund(invoice, "{\"amountMinor\":20000}");
        Response second = refund(invoice, "{\"amount\":100.00}");
        Response tooMuch = refund(invoice, "{\"amountMinor\":" + TOTAL_MINOR + "}");
        Response rest = refund(invoice, null);
        Response nothingLeft = refund(invoice, null);
        stack.awaitWebhooks();

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(second.status()).as(second.body()).isEqualTo(201);
        assertThat(second.json().get("amountMinor").asLong()).isEqualTo(10_000);
        assertThat(tooMuch.status()).isEqualTo(400);
        assertThat(tooMuch.json().get("errors").get(0).get("field").asText()).isEqualTo("amount");
        assertThat(rest.status()).as(rest.body()).isEqualTo(201);
        assertThat(rest.json().get("amountMinor").asLong()).isEqualTo(TOTAL_MINOR - 30_000);
        assertThat(nothingLeft.status()).isEqualTo(409);
        assertThat(refunded(invoice)).isEqualTo(TOTAL_MINOR);
        assertThat(razorpayRefunds(invoice)).isEqualTo(3);
        assertThat(stack.payments(invoice.id()).get("payments").get(0).get("refunds")).hasSize(3);
    }

    @Test
    void concurrentFullRefundsRefundOnce() throws Exception {
        Paid invoice = paidInvoice("Concurrent Refund Ltd");
        List<Response> answers = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread thread = new Thread(() -> answers.add(refund(invoice, null)));
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        stack.awaitWebhooks();

        assertThat(answers).extracting(Response::status).containsOnlyOnce(201);
        assertThat(refunded(invoice)).isEqualTo(TOTAL_MINOR);
        assertThat(razorpayRefunds(invoice)).isEqualTo(1);
    }

    @Test
    void aRefundRetriedWithItsIdempotencyKeyAfterItsAnswerWasLostRefundsOnce() throws Exception {
        Paid invoice = paidInvoice("Lost Answer Refund Ltd");
        stack.database().update("""
                CREATE FUNCTION simulated_crash() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'simulated crash before the answer was stored'; END $$""");
        stack.database().update("CREATE TRIGGER simulated_crash BEFORE INSERT ON idempotency_keys "
                + "FOR EACH ROW EXECUTE FUNCTION simulated_crash()");
        Response crashed;
        try {
            crashed = refund(invoice, "{\"amountMinor\":5000}", "Idempotency-Key", "refund-" + invoice.id());
        } finally {
            stack.database().update("DROP TRIGGER simulated_crash ON idempotency_keys");
            stack.database().update("DROP FUNCTION simulated_crash()");
        }

        Response retried = refund(invoice, "{\"amountMinor\":5000}", "Idempotency-Key", "refund-" + invoice.id());
        Response replayed = refund(invoice, "{\"amountMinor\":5000}", "Idempotency-Key", "refund-" + invoice.id());
        stack.awaitWebhooks();

        assertThat(crashed.status()).isEqualTo(500);
        assertThat(retried.status()).as(retried.body()).isEqualTo(201);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.json().get("id").asText()).isEqualTo(retried.json().get("id").asText());
        assertThat(razorpayRefunds(invoice)).isEqualTo(1);
        assertThat(refunded(invoice)).isEqualTo(5_000);
    }

    @Test
    void aRefundWhoseAnswerAndWebhookWereLostIsCompletedByTheReconciliation() throws Exception {
        Paid invoice = paidInvoice("Silent Refund Ltd");
        stack.emulator().apiEventDelivery(DeliveryPlan.dropping());
        Response pending;
        try (SdkFaults faults = SdkFaults.loseAnswers("POST", "/v1/payments/", 1)) {
            pending = refund(invoice, "{\"amountMinor\":7000}");
        } finally {
            stack.emulator().apiEventDelivery(DeliveryPlan.normal());
        }
        long heldBack = refunded(invoice);

        Response reconciled = stack.reconcile("{}");

        assertThat(pending.status()).as(pending.body()).isEqualTo(202);
        assertThat(pending.json().get("status").asText()).isEqualTo("pending");
        assertThat(pending.json().get("razorpayRefundId").isNull()).isTrue();
        assertThat(heldBack).isZero();
        assertThat(reconciled.json().get("refundsChanged").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode refund = stack.payments(invoice.id()).get("payments").get(0).get("refunds").get(0);
        assertThat(refund.get("status").asText()).isEqualTo("processed");
        assertThat(refund.get("razorpayRefundId").asText()).startsWith("rfnd_");
        assertThat(refunded(invoice)).isEqualTo(7_000);
        assertThat(razorpayRefunds(invoice)).isEqualTo(1);
    }

    @Test
    void onlyTheOperatorRefundsAndOnlyCapturedMoney() {
        JsonNode unpaid = stack.issuedInvoice("Unpaid Refund Ltd");
        Paid paid = paidInvoice("Owner Refund Ltd");
        String ownerKey = stack.lastOrganisation().secretKey();

        Response unpaidRefund = stack.client().postJson("/api/v1/invoices/" + unpaid.get("id").asText() + "/refunds",
                ADMIN_TOKEN, "{}");
        Response zero = refund(paid, "{\"amountMinor\":0}");
        Response both = refund(paid, "{\"amountMinor\":100,\"amount\":1.00}");
        Response fraction = refund(paid, "{\"amount\":1.005}");
        Response byOwner = stack.client().postJson("/api/v1/invoices/" + paid.id() + "/refunds", ownerKey, "{}");

        assertThat(byOwner.status()).isEqualTo(403);
        assertThat(unpaidRefund.status()).isEqualTo(409);
        assertThat(zero.status()).isEqualTo(400);
        assertThat(both.status()).isEqualTo(400);
        assertThat(fraction.status()).isEqualTo(400);
        assertThat(stack.count("SELECT count(*) FROM refunds WHERE payment_id IN "
                + "(SELECT id FROM payments WHERE invoice_id = ?)", paid.id())).isZero();
    }
}
