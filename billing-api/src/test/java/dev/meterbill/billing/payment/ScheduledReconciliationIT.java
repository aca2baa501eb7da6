package dev.meterbill.billing.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.PaymentStack;
import dev.meterbill.razorpay.emulator.DeliveryPlan;
import dev.meterbill.razorpay.emulator.PaymentSimulation;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The periodic reconciliation runs by itself in billing-api's scheduler and pays what webhooks missed. */
class ScheduledReconciliationIT {

    @RegisterExtension
    static final PaymentStack stack = PaymentStack.perClass(settings -> settings.withReconciliation(Duration.ofMillis(300),
            Duration.ZERO));

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
