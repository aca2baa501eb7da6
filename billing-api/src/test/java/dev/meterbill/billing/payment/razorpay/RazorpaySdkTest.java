package dev.meterbill.billing.payment.razorpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.razorpay.Order;
import com.razorpay.Payment;
import com.razorpay.RazorpayClient;
import com.razorpay.RazorpayException;
import com.razorpay.Refund;
import com.razorpay.Utils;
import com.sun.net.httpserver.HttpServer;
import dev.meterbill.razorpay.emulator.PaymentSimulation;
import dev.meterbill.razorpay.emulator.RazorpayEmulator;
import dev.meterbill.razorpay.emulator.SimulatedPayment;
import dev.meterbill.testkit.ServiceExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract between razorpay-java 1.4.10 and the emulator, checked on the real SDK code path
 * (redirected by {@link RazorpayRedirect}, as the adapter is): the SDK's models parse what the emulator
 * answers, its errors arrive as the SDK's exceptions, and its signature helpers accept the emulator's
 * signatures. It lives beside the adapter because it is the adapter's assumption about the emulator
 * that every payment test builds on.
 */
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
        RazorpayRedirect.redirectTo(emulator.get().baseUrl());
    }

    @AfterAll
    static void restoreTheSdk() {
        RazorpayRedirect.restore();
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

            WebhookReceiver.Received received = receiver.received.get(0);
            assertThat(Utils.verifyWebhookSignature(received.text(), received.signature(), "whsec_sdk")).isTrue();
        }
    }

    /** A webhook endpoint (JDK HttpServer) that keeps each request's body and signature and answers 200. */
    private static final class WebhookReceiver implements AutoCloseable {

        record Received(byte[] body, String signature) {
            String text() {
                return new String(body, StandardCharsets.UTF_8);
            }
        }

        private final HttpServer server;
        final List<Received> received = new CopyOnWriteArrayList<>();

        private WebhookReceiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/webhooks/razorpay", exchange -> {
                try (exchange) {
                    received.add(new Received(exchange.getRequestBody().readAllBytes(),
                            exchange.getRequestHeaders().getFirst("X-Razorpay-Signature")));
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
        }

        static WebhookReceiver start() throws IOException {
            return new WebhookReceiver();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks/razorpay";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
