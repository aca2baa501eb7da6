package dev.meterbill.billing.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.PaymentStack;
import dev.meterbill.razorpay.emulator.DeliveryPlan;
import dev.meterbill.razorpay.emulator.PaymentSimulation;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The periodic reconciliation runs by itself in billing-api's scheduler and pays what webhooks missed. */
class ScheduledReconciliationIT {

    private static PaymentStack stack;

    @BeforeAll
    static void start() {
        stack = PaymentStack.start(settings -> settings.withReconciliation(Duration.ofMillis(300), Duration.ZERO));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void aPaymentWithoutWebhooksIsFoundByTheScheduledRun() throws InterruptedException {
        JsonNode invoice = stack.issuedInvoice("Scheduled Ltd");
        UUID id = UUID.fromString(invoice.get("id").asText());

        stack.emulator().pay(invoice.get("razorpayOrderId").asText(),
                PaymentSimulation.captured().delivery(DeliveryPlan.dropping()));

        Instant deadline = Instant.now().plusSeconds(15);
        while (!stack.invoice(id).get("status").asText().equals("paid") && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(stack.invoice(id).get("status").asText()).isEqualTo("paid");
        assertThat(stack.count("SELECT count(*) FROM payments WHERE invoice_id = ?", id)).isEqualTo(1);
        assertThat(stack.count("SELECT count(*) FROM webhook_events")).isZero();
    }
}
