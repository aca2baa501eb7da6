package dev.meterbill.billing.payment;

import static dev.meterbill.billing.testutils.PaymentStack.WEBHOOK_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.billing.testutils.PaymentStack.Issued;
import dev.meterbill.billing.testutils.PaymentStack;
import dev.meterbill.razorpay.emulator.Delivery;
import dev.meterbill.razorpay.emulator.PaymentSimulation;
import dev.meterbill.razorpay.emulator.SimulatedPayment;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A webhook secret rotation: the API runs with the new secret as RAZORPAY_WEBHOOK_SECRET and the old
 * one as RAZORPAY_WEBHOOK_SECRET_PREVIOUS, so events signed before and after Razorpay switched both
 * verify; a secret that is neither is refused.
 */
class WebhookSecretRotationIT {

    private static final String NEW_SECRET = "whsec-rotated-" + UUID.randomUUID();

    // the emulator keeps signing with WEBHOOK_SECRET, which is now the previous one
    @RegisterExtension
    static final PaymentStack stack = PaymentStack.perClass(settings -> settings.withWebhookSecrets(NEW_SECRET,
            WEBHOOK_SECRET));

    private static String payAndRead(String name) {
        Issued invoice = stack.issued(name);
        SimulatedPayment paid = stack.emulator().pay(invoice.orderId(), PaymentSimulation.captured());
        stack.awaitWebhooks();
        List<Delivery> deliveries = stack.emulator().deliveries().stream()
                .filter(d -> paid.events().stream().anyMatch(e -> e.id().equals(d.eventId()))).toList();
        assertThat(deliveries).isNotEmpty();
        return stack.invoice(invoice.id()).get("status").asText();
    }

    @Test
    void eventsSignedWithThePreviousSecretStillVerify() {
        assertThat(payAndRead("Before Rotation Ltd")).isEqualTo("paid");
    }

    @Test
    void eventsSignedWithTheNewSecretVerify() {
        stack.emulator().webhookSecret(NEW_SECRET);
        try {
            assertThat(payAndRead("After Rotation Ltd")).isEqualTo("paid");
        } finally {
            stack.emulator().webhookSecret(WEBHOOK_SECRET);
        }
    }

    @Test
    void eventsSignedWithAnyOtherSecretAreRefusedAndStoreNothing() {
        long events = stack.count("SELECT count(*) FROM webhook_events");
        stack.emulator().webhookSecret("whsec-stolen");
        try {
            assertThat(payAndRead("Wrong Secret Ltd")).isEqualTo("issued");
        } finally {
            stack.emulator().webhookSecret(WEBHOOK_SECRET);
        }
        assertThat(stack.count("SELECT count(*) FROM webhook_events")).isEqualTo(events);
        assertThat(stack.emulator().deliveries()).anySatisfy(d -> assertThat(d.httpStatus()).isEqualTo(400));
    }
}
