package dev.meterbill.billing.payment;

import static dev.meterbill.billing.testutils.PaymentStack.TOTAL_MINOR;
import static dev.meterbill.billing.testutils.PaymentStack.WEBHOOK_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.PaymentStack.Issued;
import dev.meterbill.billing.testutils.PaymentStack;
import dev.meterbill.razorpay.emulator.Delivery;
import dev.meterbill.razorpay.emulator.DeliveryPlan;
import dev.meterbill.razorpay.emulator.PaymentSimulation;
import dev.meterbill.razorpay.emulator.SimulatedPayment;
import dev.meterbill.razorpay.emulator.WebhookEvent;
import dev.meterbill.razorpay.emulator.WebhookSigner;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Razorpay's webhooks as the emulator delivers them (signed, duplicated, reordered, concurrent) to
 * the real route: each event counts once, payments only move forward, and only a capture of exactly
 * the invoice's total in its currency pays it.
 */
class RazorpayWebhookIT {

    @RegisterExtension
    static final PaymentStack stack = PaymentStack.perClass();

    private static SimulatedPayment pay(Issued invoice, PaymentSimulation simulation) {
        SimulatedPayment paid = stack.emulator().pay(invoice.orderId(), simulation);
        stack.awaitWebhooks();
        return paid;
    }

    private static long paymentRows(Issued invoice) {
        return stack.count("SELECT count(*) FROM payments WHERE invoice_id = ?", invoice.id());
    }

    private static long auditRows() {
        return stack.count("SELECT count(*) FROM audit_logs");
    }

    private static String paymentStatus(String razorpayPaymentId) {
        return stack.database().queryValue(String.class, "SELECT status FROM payments WHERE razorpay_payment_id = ?",
                razorpayPaymentId);
    }

    @Test
    void aCapturedPaymentPaysTheInvoiceAndEveryDeliveryIsAnsweredFast() {
        Issued invoice = stack.issued("Webhook Paid Ltd");

        SimulatedPayment paid = pay(invoice, PaymentSimulation.captured());

        JsonNode read = stack.invoice(invoice.id());
        assertThat(read.get("status").asText()).isEqualTo("paid");
        assertThat(read.get("paidAt").isNull()).isFalse();
        JsonNode payments = stack.payments(invoice.id());
        assertThat(payments.get("amountPaidMinor").asLong()).isEqualTo(TOTAL_MINOR);
        assertThat(payments.get("payments")).singleElement().satisfies(p -> {
            assertThat(p.get("razorpayPaymentId").asText()).isEqualTo(paid.paymentId());
            assertThat(p.get("status").asText()).isEqualTo("captured");
            assertThat(p.get("provisional").asBoolean()).isFalse();
            assertThat(p.get("mismatchReason").isNull()).isTrue();
        });
        assertThat(paid.eventTypes()).containsExactly("payment.authorized", "payment.captured", "order.paid");
        for (WebhookEvent event : paid.events()) {
            assertThat(stack.count("SELECT count(*) FROM webhook_events WHERE event_id = ? AND processed_at IS NOT NULL",
                    event.id())).isEqualTo(1);
        }
        assertThat(stack.count("SELECT count(*) FROM audit_logs WHERE entity_id = ? AND action = 'invoice.paid'",
                invoice.id().toString())).isEqualTo(1);
        List<Delivery> deliveries = deliveriesOf(paid);
        assertThat(deliveries).hasSize(3).allSatisfy(d -> {
            assertThat(d.httpStatus()).isEqualTo(200);
            assertThat(d.durationMillis()).as("within Razorpay's 5 s").isLessThan(5_000);
        });
    }

    @Test
    void aForgedOrTamperedWebhookIsRefusedAndStoresNothing() {
        Issued invoice = stack.issued("Forgery Target Ltd");
        SimulatedPayment paid = pay(invoice, PaymentSimulation.captured().delivery(DeliveryPlan.dropping()));
        WebhookEvent captured = paid.events().get(1);
        byte[] tampered = captured.payloadText().replace("\"captured\"", "\"kaptured\"").getBytes(StandardCharsets.UTF_8);
        long audit = auditRows();

        List<Response> answers = List.of(
                stack.postWebhook(captured.payload(), WebhookSigner.sign("not-the-secret", captured.payload()), captured.id()),
                stack.postWebhook(captured.payload(), null, captured.id()),
                stack.postWebhook(tampered, WebhookSigner.sign(WEBHOOK_SECRET, captured.payload()), captured.id()),
                stack.postWebhook(captured.payload(), "", captured.id()));

        assertThat(answers).allSatisfy(r -> {
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("type").asText()).endsWith("/invalid-signature");
        });
        assertThat(stack.count("SELECT count(*) FROM webhook_events WHERE event_id = ?", captured.id())).isZero();
        assertThat(paymentRows(invoice)).isZero();
        assertThat(auditRows()).isEqualTo(audit);
        assertThat(stack.invoice(invoice.id()).get("status").asText()).isEqualTo("issued");
    }

    @Test
    void aReplayedEventIdIsProcessedOnce() {
        Issued invoice = stack.issued("Replay Ltd");
        SimulatedPayment paid = pay(invoice, PaymentSimulation.captured());
        long audit = auditRows();

        paid.events().forEach(e -> stack.emulator().redeliver(e.id()));
        stack.awaitWebhooks();
        WebhookEvent first = paid.events().get(0);
        Response direct = stack.postWebhook(first.payload(), WebhookSigner.sign(WEBHOOK_SECRET, first.payload()),
                first.id());

        assertThat(direct.status()).isEqualTo(200);
        assertThat(direct.json().get("status").asText()).isEqualTo("duplicate");
        assertThat(paymentRows(invoice)).isEqualTo(1);
        assertThat(auditRows()).as("replays change nothing").isEqualTo(audit);
        assertThat(deliveriesOf(paid)).hasSize(6).allSatisfy(d -> assertThat(d.httpStatus()).isEqualTo(200));
    }

    @Test
    void duplicateDeliveriesRecordOnePayment() {
        Issued invoice = stack.issued("Duplicate Ltd");

        pay(invoice, PaymentSimulation.captured().delivery(DeliveryPlan.duplicated()));

        assertThat(paymentRows(invoice)).isEqualTo(1);
        assertThat(stack.invoice(invoice.id()).get("status").asText()).isEqualTo("paid");
        assertThat(stack.count("SELECT count(*) FROM audit_logs WHERE entity_id = ? AND action = 'invoice.paid'",
                invoice.id().toString())).isEqualTo(1);
    }

    @Test
    void concurrentDeliveriesOfTheSameEventRecordExactlyOnePayment() throws Exception {
        Issued invoice = stack.issued("Concurrent Ltd");
        pay(invoice, PaymentSimulation.captured().delivery(DeliveryPlan.duplicatedConcurrently()));
        Issued second = stack.issued("Concurrent Two Ltd");
        SimulatedPayment paid = pay(second, PaymentSimulation.captured().delivery(DeliveryPlan.dropping()));
        WebhookEvent captured = paid.events().get(1);
        String signature = WebhookSigner.sign(WEBHOOK_SECRET, captured.payload());

        List<Response> answers = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answers.add(stack.postWebhook(captured.payload(), signature, captured.id()));
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(paymentRows(invoice)).isEqualTo(1);
        assertThat(stack.invoice(invoice.id()).get("status").asText()).isEqualTo("paid");
        assertThat(answers).extracting(Response::status).containsOnly(200);
        assertThat(answers).extracting(r -> r.json().get("status").asText())
                .containsOnlyOnce("processed").containsOnly("processed", "duplicate");
        assertThat(paymentRows(second)).isEqualTo(1);
        assertThat(stack.count("SELECT count(*) FROM webhook_events WHERE event_id = ?", captured.id())).isEqualTo(1);
        assertThat(stack.count("SELECT count(*) FROM audit_logs WHERE entity_id = ? AND action = 'invoice.paid'",
                second.id().toString())).isEqualTo(1);
    }

    @Test
    void aFailedPaymentFollowedByACapturedRetryPaysTheInvoice() {
        Issued invoice = stack.issued("Second Try Ltd");

        SimulatedPayment paid = pay(invoice, PaymentSimulation.failedThenCaptured());

        assertThat(paid.paymentIds()).hasSize(2);
        assertThat(paymentStatus(paid.paymentIds().get(0))).isEqualTo("failed");
        assertThat(paymentStatus(paid.paymentIds().get(1))).isEqualTo("captured");
        assertThat(stack.database().queryValue(String.class,
                "SELECT failure_reason FROM payments WHERE razorpay_payment_id = ?", paid.paymentIds().get(0))).isNotBlank();
        assertThat(stack.invoice(invoice.id()).get("status").asText()).isEqualTo("paid");
    }

    @Test
    void aFailedPaymentThatIsAuthorizedLaterIsCaptured() {
        Issued invoice = stack.issued("Late Auth Ltd");

        SimulatedPayment paid = pay(invoice, PaymentSimulation.lateAuthorization());

        assertThat(paid.eventTypes()).startsWith("payment.failed", "payment.authorized", "payment.captured");
        assertThat(paymentStatus(paid.paymentId())).isEqualTo("captured");
        assertThat(stack.invoice(invoice.id()).get("status").asText()).isEqualTo("paid");
    }

    @Test
    void aCapturedPaymentNeverBecomesFailedWhenTheFailureArrivesLast() {
        Issued invoice = stack.issued("Out Of Order Ltd");

        SimulatedPayment paid = pay(invoice, PaymentSimulation.lateAuthorization().delivery(DeliveryPlan.reversed()));

        List<Delivery> deliveries = deliveriesOf(paid);
        assertThat(deliveries.get(deliveries.size() - 1).eventType()).as("failure delivered last")
                .isEqualTo("payment.failed");
        assertThat(paymentStatus(paid.paymentId())).isEqualTo("captured");
        assertThat(stack.database().queryValue(String.class,
                "SELECT failure_reason FROM payments WHERE razorpay_payment_id = ?", paid.paymentId())).isNull();
        assertThat(stack.invoice(invoice.id()).get("status").asText()).isEqualTo("paid");
        assertThat(stack.count("SELECT count(*) FROM audit_logs WHERE entity_type = 'payment' AND action = 'payment.failed'"
                + " AND after_state->>'razorpayPaymentId' = ?", paid.paymentId())).isZero();
    }

    @Test
    void aShortCaptureCountsAsAPartPaymentAndOnlyAnotherCurrencyIsAMismatch() {
        Issued shortPaid = stack.issued("Short Payer Ltd");
        Issued foreign = stack.issued("Dollar Payer Ltd");

        SimulatedPayment shortPayment = pay(shortPaid, PaymentSimulation.captured().amount(TOTAL_MINOR - 100));
        SimulatedPayment dollars = pay(foreign, PaymentSimulation.captured().currency("USD"));

        JsonNode partly = stack.invoice(shortPaid.id());
        assertThat(partly.get("status").asText()).isEqualTo("partially_paid");
        assertThat(partly.get("balanceDueMinor").asLong()).isEqualTo(100);
        assertThat(stack.database().queryValue(String.class,
                "SELECT mismatch_reason FROM payments WHERE razorpay_payment_id = ?", shortPayment.paymentId())).isNull();

        assertThat(stack.invoice(foreign.id()).get("status").asText()).isEqualTo("issued");
        JsonNode payments = stack.payments(foreign.id());
        assertThat(payments.get("amountPaidMinor").asLong()).isZero();
        assertThat(payments.get("payments")).singleElement().satisfies(p -> {
            assertThat(p.get("status").asText()).isEqualTo("captured");
            assertThat(p.get("mismatchReason").asText()).isNotBlank();
        });
        assertThat(stack.database().queryValue(String.class,
                "SELECT mismatch_reason FROM payments WHERE razorpay_payment_id = ?", dollars.paymentId()))
                .contains("USD").contains("INR");
        assertThat(stack.count("SELECT count(*) FROM audit_logs WHERE action = 'payment.mismatch'"
                + " AND after_state->>'invoiceId' IN (?, ?)", shortPaid.id().toString(), foreign.id().toString()))
                .isEqualTo(1);
    }

    @Test
    void aNonAsciiPayloadVerifiesByteForByte() {
        Issued invoice = stack.issued("Unicode Ltd");
        String customer = "Zoë Ångström · ₹ भुगतान · 支払い";

        SimulatedPayment paid = pay(invoice, PaymentSimulation.captured().notes(Map.of("customer", customer)));

        WebhookEvent captured = paid.events().get(1);
        assertThat(captured.payloadText()).contains(customer);
        assertThat(captured.payload().length).isGreaterThan(captured.payloadText().length());
        assertThat(deliveriesOf(paid)).allSatisfy(d -> assertThat(d.httpStatus()).isEqualTo(200));
        assertThat(stack.invoice(invoice.id()).get("status").asText()).isEqualTo("paid");

        String text = "{\"entity\":\"event\",\"event\":\"payment.dispute.created\",\"payload\":{\"note\":\"" + customer
                + "\"},\"contains\":[]}";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        Response exact = stack.postWebhook(utf8, WebhookSigner.sign(WEBHOOK_SECRET, utf8), "evt_unicode_exact");
        Response reencoded = stack.postWebhook(utf8,
                WebhookSigner.sign(WEBHOOK_SECRET, text.getBytes(StandardCharsets.ISO_8859_1)), "evt_unicode_latin1");
        assertThat(exact.status()).as(exact.body()).isEqualTo(200);
        assertThat(exact.json().get("outcome").asText()).isEqualTo("ignored");
        assertThat(reencoded.status()).isEqualTo(400);
        assertThat(stack.database().queryValue(String.class,
                "SELECT payload->'payload'->>'note' FROM webhook_events WHERE event_id = 'evt_unicode_exact'"))
                .isEqualTo(customer);
    }

    @Test
    void aWebhookWithoutAnEventIdIsRefusedAfterVerification() {
        byte[] body = "{\"event\":\"payment.captured\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8);

        Response response = stack.postWebhook(body, WebhookSigner.sign(WEBHOOK_SECRET, body), null);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("type").asText()).endsWith("/validation-error");
    }

    private static List<Delivery> deliveriesOf(SimulatedPayment paid) {
        List<String> ids = paid.events().stream().map(WebhookEvent::id).toList();
        return stack.emulator().deliveries().stream().filter(d -> ids.contains(d.eventId())).toList();
    }
}
