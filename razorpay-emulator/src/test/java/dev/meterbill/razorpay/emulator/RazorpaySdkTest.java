package dev.meterbill.razorpay.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.razorpay.Order;
import com.razorpay.Payment;
import com.razorpay.RazorpayClient;
import com.razorpay.RazorpayException;
import com.razorpay.Refund;
import com.razorpay.Utils;
import dev.meterbill.razorpay.emulator.testutils.RazorpaySdkRedirect;
import dev.meterbill.razorpay.emulator.testutils.WebhookReceiver;
import dev.meterbill.testkit.ServiceExtension;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.json.JSONObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real razorpay-java 1.4.10 code path against the emulator: its models parse what the emulator answers. */
class RazorpaySdkTest {

    static final String KEY_ID = "rzp_test_sdk";
    static final String KEY_SECRET = "sdk_secret";
    @RegisterExtension
    static final ServiceExtension<RazorpayEmulator> emulator =
            ServiceExtension.perClass(() -> RazorpayEmulator.start(0, KEY_ID, KEY_SECRET));
    static RazorpayClient client;

    @BeforeAll
    static void redirectTheSdk() throws Exception {
        client = new RazorpayClient(KEY_ID, KEY_SECRET);
        RazorpaySdkRedirect.redirectTo(emulator.get().baseUrl());
    }

    @Test
    void issuingAndCollectingAnInvoiceWorksThroughTheSdk() throws Exception {
        JSONObject request = new JSONObject()
                .put("amount", 118000).put("currency", "INR").put("receipt", "INV-SDK-0001")
                .put("notes", new JSONObject().put("invoice_id", "inv-1").put("organisation_id", "org-1"));

        Order created = client.orders.create(request);
        String orderId = created.get("id");
        Order fetched = client.orders.fetch(orderId);
        List<Order> byReceipt = client.orders.fetchAll(new JSONObject().put("receipt", "INV-SDK-0001"));
        SimulatedPayment paid = emulator.get().pay(orderId, PaymentSimulation.captured());
        List<Payment> payments = client.orders.fetchPayments(orderId);
        Payment payment = client.payments.fetch(paid.paymentId());

        assertThat(orderId).matches("order_[0-9A-Za-z]{14}");
        assertThat((String) created.get("status")).isEqualTo("created");
        assertThat((Integer) created.get("amount")).isEqualTo(118000);
        assertThat((Date) created.get("created_at")).isCloseTo(new Date(), 10_000);
        assertThat(created.toJson().getJSONObject("notes").getString("invoice_id")).isEqualTo("inv-1");
        assertThat((String) fetched.get("id")).isEqualTo(orderId);
        assertThat(byReceipt).singleElement().satisfies(o -> assertThat((String) o.get("id")).isEqualTo(orderId));
        assertThat((String) client.orders.fetch(orderId).get("status")).isEqualTo("paid");
        assertThat(payments).singleElement().satisfies(p -> {
            assertThat((String) p.get("id")).isEqualTo(paid.paymentId());
            assertThat((String) p.get("status")).isEqualTo("captured");
        });
        assertThat((Integer) payment.get("amount")).isEqualTo(118000);
        assertThat((String) payment.get("order_id")).isEqualTo(orderId);
        assertThat((Boolean) payment.get("captured")).isTrue();
    }

    @Test
    void refundsAndCapturesWorkThroughTheSdk() throws Exception {
        String orderId = client.orders.create(new JSONObject().put("amount", 50000).put("currency", "INR")).get("id");
        String paymentId = emulator.get().pay(orderId, PaymentSimulation.authorizedOnly()).paymentId();

        Payment captured = client.payments.capture(paymentId, new JSONObject().put("amount", 50000).put("currency", "INR"));
        Refund partial = client.payments.refund(paymentId, new JSONObject().put("amount", 20000));
        Refund rest = client.payments.refund(paymentId);
        List<Refund> refunds = client.payments.fetchAllRefunds(paymentId);
        Refund fetched = client.refunds.fetch(partial.get("id"));

        assertThat((String) captured.get("status")).isEqualTo("captured");
        assertThat((String) partial.get("status")).isEqualTo("processed");
        assertThat((Integer) partial.get("amount")).isEqualTo(20000);
        assertThat((Integer) rest.get("amount")).isEqualTo(30000);
        assertThat(refunds).hasSize(2);
        assertThat((String) fetched.get("payment_id")).isEqualTo(paymentId);
        assertThat((String) client.payments.fetch(paymentId).get("status")).isEqualTo("refunded");
        assertThatThrownBy(() -> client.payments.refund(paymentId, new JSONObject().put("amount", 100)))
                .isInstanceOf(RazorpayException.class)
                .hasMessage("BAD_REQUEST_ERROR:The payment has been fully refunded already");
    }

    @Test
    void errorsReachTheSdkAsRazorpayExceptions() throws Exception {
        assertThatThrownBy(() -> client.orders.fetch("order_AAAAAAAAAAAAAA"))
                .isInstanceOf(RazorpayException.class).hasMessage("BAD_REQUEST_ERROR:The id provided does not exist");
        assertThatThrownBy(() -> client.orders.create(new JSONObject().put("amount", 99).put("currency", "INR")))
                .hasMessage("BAD_REQUEST_ERROR:The amount must be at least INR 1.00");
        RazorpayClient wrongKeys = new RazorpayClient(KEY_ID, "not-the-secret");
        assertThatThrownBy(() -> wrongKeys.orders.fetchAll())
                .isInstanceOf(RazorpayException.class).hasMessage("BAD_REQUEST_ERROR:Authentication failed");
    }

    @Test
    void aSuccessfulCheckoutCarriesASignatureTheSdkVerifiesWithTheKeySecret() throws Exception {
        String orderId = client.orders.create(new JSONObject().put("amount", 100).put("currency", "INR")).get("id");

        SimulatedPayment paid = emulator.get().pay(orderId, PaymentSimulation.captured());
        SimulatedPayment failedOrder = emulator.get().pay(
                client.orders.create(new JSONObject().put("amount", 100).put("currency", "INR")).get("id"),
                PaymentSimulation.failed());

        JSONObject callback = new JSONObject().put("razorpay_order_id", orderId)
                .put("razorpay_payment_id", paid.paymentId()).put("razorpay_signature", paid.checkoutSignature());
        assertThat(Utils.verifyPaymentSignature(callback, KEY_SECRET)).isTrue();
        assertThat(failedOrder.checkoutSignature()).isNull();
    }

    @Test
    void constructingAnotherClientKeepsTheRedirect() throws Exception {
        RazorpayClient another = new RazorpayClient(KEY_ID, KEY_SECRET);

        assertThat((String) another.orders.create(new JSONObject().put("amount", 100).put("currency", "INR")).get("id"))
                .startsWith("order_");
    }

    @Test
    void theSdksWebhookHelperAcceptsTheEmulatorsSignatureOnAsciiPayloads() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            emulator.get().webhook(receiver.url(), "whsec_sdk");
            String orderId = client.orders.create(new JSONObject().put("amount", 100).put("currency", "INR")).get("id");
            emulator.get().pay(orderId, PaymentSimulation.failed());
            assertThat(emulator.get().awaitIdle(Duration.ofSeconds(10))).isTrue();

            WebhookReceiver.Received received = receiver.received().get(0);
            assertThat(Utils.verifyWebhookSignature(received.text(), received.signature(), "whsec_sdk")).isTrue();
        }
    }
}
