package dev.meterbill.billing.payment;

import static dev.meterbill.billing.testutils.PaymentStack.TOTAL_MINOR;
import static dev.meterbill.billing.testutils.PaymentStack.WEBHOOK_SECRET;
import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.PaymentStack.Issued;
import dev.meterbill.billing.testutils.PaymentStack;
import dev.meterbill.razorpay.emulator.PaymentSimulation;
import dev.meterbill.razorpay.emulator.SimulatedPayment;
import dev.meterbill.razorpay.emulator.WebhookSigner;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A correctly signed webhook whose content cannot be applied is acknowledged (200), recorded as
 * unprocessable with its reason (webhook_events with the raw bytes, the audit log, the operator's
 * route) and applied in no part; it is processed once like any event, and the payment and refund
 * records never break their own constraints.
 */
class UnprocessableWebhookIT {

    @RegisterExtension
    static final PaymentStack stack = PaymentStack.perClass();

    @BeforeAll
    static void start() {
    }


    private static String capturedEvent(String orderId, String amount, String notes) {
        return """
                {"entity":"event","account_id":"acc_test","event":"payment.captured","contains":["payment"],
                 "payload":{"payment":{"entity":{"id":"pay_%s","entity":"payment","amount":%s,"currency":"INR",
                 "status":"captured","order_id":"%s","method":"upi","notes":%s}}},"created_at":1767225600}"""
                .formatted(UUID.randomUUID().toString().replace("-", "").substring(0, 14), amount, orderId, notes);
    }

    private static Response deliver(String body, String eventId) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return stack.postWebhook(bytes, WebhookSigner.sign(WEBHOOK_SECRET, bytes), eventId);
    }

    private static void assertUnprocessable(Response response, String eventId, String reason) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("status").asText()).as(response.body()).isEqualTo("unprocessable");
        assertThat(response.json().get("outcome").asText()).contains(reason);
        assertThat(stack.database().queryValue(String.class,
                "SELECT unprocessable_reason FROM webhook_events WHERE event_id = ?", eventId)).contains(reason);
        assertThat(stack.count("SELECT count(*) FROM audit_logs WHERE action = 'webhook_event.unprocessable'"
                + " AND entity_id = ?", eventId)).isEqualTo(1);
    }

    @Test
    void textPostgresCannotStoreIsAcknowledgedKeptAsSignedAndNotApplied() {
        for (String notes : new String[] {"{\"comment\":\"a\\u0000b\"}", "{\"comment\":\"\\ud800\"}",
                "{\"\\u0000\":\"key\"}"}) {
            Issued invoice = stack.issued("Notes " + UUID.randomUUID());
            String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
            String body = capturedEvent(invoice.orderId(), String.valueOf(TOTAL_MINOR), notes);

            Response response = deliver(body, eventId);

            assertUnprocessable(response, eventId, "must not contain NUL characters or unpaired UTF-16 surrogates");
            assertThat(stack.invoice(invoice.id()).get("status").asText()).isEqualTo("issued");
            assertThat(stack.count("SELECT count(*) FROM payments WHERE invoice_id = ?", invoice.id())).isZero();
            assertThat(stack.database().queryValue(byte[].class, "SELECT raw_body FROM webhook_events WHERE event_id = ?",
                    eventId)).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
            Response again = deliver(body, eventId);
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.json().get("status").asText()).as("each event id is processed once").isEqualTo("duplicate");
        }
    }

    @Test
    void numbersAndAmountsNoPaymentCanHoldAreAcknowledgedAndNotApplied() {
        String[][] cases = {
                {"1e999999", "beyond 100 digits"},
                {"-118000", "must be more than zero"},
                {"1180.5", "no whole amount"},
                {"99999999999999999999", "no whole amount"},
                {"\"118000\"", "no whole amount"}};
        for (String[] c : cases) {
            Issued invoice = stack.issued("Amount " + UUID.randomUUID());
            String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");

            Response response = deliver(capturedEvent(invoice.orderId(), c[0], "[]"), eventId);

            assertUnprocessable(response, eventId, c[1]);
            assertThat(stack.count("SELECT count(*) FROM payments WHERE invoice_id = ?", invoice.id())).isZero();
        }
    }

    @Test
    void aRefundTenTimesTheCaptureIsAcknowledgedAndLeavesThePaymentAsItWas() {
        Issued invoice = stack.issued("Refund Ltd");
        SimulatedPayment paid = stack.emulator().pay(invoice.orderId(), PaymentSimulation.captured());
        stack.awaitWebhooks();
        String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
        String refund = """
                {"entity":"event","account_id":"acc_test","event":"refund.processed","contains":["refund"],
                 "payload":{"refund":{"entity":{"id":"rfnd_tenfold","entity":"refund","amount":%d,"currency":"INR",
                 "payment_id":"%s","status":"processed","notes":[]}}},"created_at":1767225600}"""
                .formatted(TOTAL_MINOR * 10, paid.paymentId());

        Response response = deliver(refund, eventId);

        assertUnprocessable(response, eventId, "more than its " + TOTAL_MINOR + " captured");
        assertThat(stack.count("SELECT refunded_minor FROM payments WHERE razorpay_payment_id = ?", paid.paymentId()))
                .isZero();
        assertThat(stack.count("SELECT count(*) FROM refunds")).as("nothing of the event is applied").isZero();
        assertThat(stack.invoice(invoice.id()).get("status").asText()).isEqualTo("paid");
    }

    @Test
    void aSignedBodyThatIsNotAnEventIsAcknowledged() {
        String[][] cases = {
                {"not json at all", "is not JSON"},
                {"[1,2,3]", "is not a JSON object"},
                {"{\"event\":\"payment.\\u0000captured\",\"payload\":{}}", "must not contain NUL"},
                {"{\"payload\":{}}", "has no event type"},
                {"{\"event\":\"payment.captured\",\"payload\":{}}", "payload.payment.entity is missing"},
                {"{\"event\":\"payment.captured\",\"payload\":{\"payment\":{\"entity\":{\"id\":\"pay_1\",\"order_id\":"
                        + "\"order_1\",\"amount\":100,\"currency\":\"inr\",\"status\":\"captured\"}}}}", "currency code"}};
        for (String[] c : cases) {
            String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
            assertUnprocessable(deliver(c[0], eventId), eventId, c[1]);
        }
    }

    @Test
    void theOperatorSeesUnprocessableEventsWithTheirReasonAndBody() {
        Issued invoice = stack.issued("Visible Ltd");
        String eventId = "evt_visible_" + UUID.randomUUID().toString().replace("-", "");
        String body = capturedEvent(invoice.orderId(), String.valueOf(TOTAL_MINOR), "{\"c\":\"\\u0000\"}");
        deliver(body, eventId);

        Response listed = stack.client().get("/api/v1/webhook-events?status=unprocessable&limit=200", ADMIN_TOKEN);

        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        JsonNode event = null;
        for (JsonNode candidate : listed.json().get("events")) {
            if (candidate.get("eventId").asText().equals(eventId)) {
                event = candidate;
            }
        }
        assertThat(event).as(listed.body()).isNotNull();
        assertThat(event.get("status").asText()).isEqualTo("unprocessable");
        assertThat(event.get("eventType").asText()).isEqualTo("payment.captured");
        assertThat(event.get("reason").asText()).contains("/payload/payment/entity/notes/c");
        assertThat(event.get("body").asText()).isEqualTo(body);
        assertThat(stack.client().get("/api/v1/webhook-events", stack.lastOrganisation().secretKey()).status())
                .as("received webhooks are the operator's").isEqualTo(403);
    }
}
