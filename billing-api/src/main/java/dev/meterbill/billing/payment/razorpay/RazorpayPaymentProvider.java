package dev.meterbill.billing.payment.razorpay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.razorpay.Entity;
import com.razorpay.RazorpayClient;
import com.razorpay.RazorpayException;
import dev.meterbill.billing.error.PaymentProviderException;
import dev.meterbill.billing.metrics.BillingMetrics;
import dev.meterbill.billing.payment.PaymentProvider;
import dev.meterbill.billing.payment.ProviderOrder;
import dev.meterbill.billing.payment.ProviderPayment;
import dev.meterbill.billing.payment.ProviderRefund;
import dev.meterbill.billing.payment.RazorpaySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;

/**
 * The payment provider through Razorpay: every call goes through razorpay-java (orders, an order's
 * payments, refunds), and its answers are read by {@link RazorpayJson}. SDK failures become
 * {@link PaymentProviderException}: a 4xx answer means Razorpay refused and did nothing; anything else
 * (timeout, lost connection, 5xx) leaves the outcome unknown. Checkout signatures are verified with
 * the key secret ({@link RazorpaySignatures}).
 */
public final class RazorpayPaymentProvider implements PaymentProvider {

    private final RazorpayClient client;
    private final String keySecret;
    private final ObjectMapper json;
    private final BillingMetrics metrics;

    private RazorpayPaymentProvider(RazorpayClient client, String keySecret, ObjectMapper json,
                                    BillingMetrics metrics) {
        this.client = client;
        this.keySecret = keySecret;
        this.json = json;
        this.metrics = metrics;
    }

    /** The provider the settings describe: Razorpay while payments are on, else {@link PaymentProvider#disabled()}. */
    public static PaymentProvider of(RazorpaySettings settings, ObjectMapper json, BillingMetrics metrics) {
        return settings.enabled() ? connect(settings, json, metrics) : PaymentProvider.disabled();
    }

    /** Builds the SDK client for the account and points it at the configured base URL. */
    public static RazorpayPaymentProvider connect(RazorpaySettings settings, ObjectMapper json,
                                                  BillingMetrics metrics) {
        try {
            RazorpayClient client = new RazorpayClient(settings.keyId(), settings.keySecret());
            RazorpayRedirect.apply(settings.apiBaseUrl(), settings.redirected());
            return new RazorpayPaymentProvider(client, settings.keySecret(), json, metrics);
        } catch (RazorpayException e) {
            throw new IllegalStateException("cannot initialise razorpay-java: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public List<ProviderOrder> ordersWithReceipt(String receipt) {
        return call("orders.fetch_by_receipt", "look up orders by receipt", () -> {
            List<ProviderOrder> orders = new ArrayList<>();
            for (Entity order : client.orders.fetchAll(new JSONObject().put("receipt", receipt))) {
                orders.add(RazorpayJson.order(tree(order)));
            }
            return orders;
        });
    }

    @Override
    public ProviderOrder createOrder(long amountMinor, String currency, String receipt, Map<String, String> notes) {
        // partial payments: customers paying net of TDS, or in instalments, pay less than the order's amount
        JSONObject request = new JSONObject().put("amount", amountMinor).put("currency", currency)
                .put("receipt", receipt).put("notes", new JSONObject(notes)).put("partial_payment", true);
        return call("orders.create", "create an order", () -> RazorpayJson.order(tree(client.orders.create(request))));
    }

    @Override
    public List<ProviderPayment> paymentsOfOrder(String orderId) {
        return call("orders.fetch_payments", "fetch the payments of order " + orderId, () -> {
            List<ProviderPayment> payments = new ArrayList<>();
            for (Entity payment : client.orders.fetchPayments(orderId)) {
                payments.add(RazorpayJson.payment(tree(payment)));
            }
            return payments;
        });
    }

    @Override
    public ProviderRefund refund(String paymentId, long amountMinor, Map<String, String> notes, String receipt) {
        JSONObject request = new JSONObject().put("amount", amountMinor).put("notes", new JSONObject(notes))
                .put("receipt", receipt);
        return call("payments.refund", "refund payment " + paymentId,
                () -> RazorpayJson.refund(tree(client.payments.refund(paymentId, request))));
    }

    @Override
    public List<ProviderRefund> refundsOfPayment(String paymentId) {
        return call("payments.fetch_refunds", "fetch the refunds of payment " + paymentId, () -> {
            List<ProviderRefund> refunds = new ArrayList<>();
            for (Entity refund : client.payments.fetchAllRefunds(paymentId)) {
                refunds.add(RazorpayJson.refund(tree(refund)));
            }
            return refunds;
        });
    }

    /** Razorpay Checkout signs {@code order_id|payment_id} with the key secret. */
    @Override
    public boolean checkoutVerifies(String orderId, String paymentId, String signature) {
        return RazorpaySignatures.checkoutVerifies(orderId, paymentId, signature, keySecret);
    }

    @Override
    public String toString() {
        return "PaymentProvider[razorpay]";
    }

    private JsonNode tree(Entity entity) throws JsonProcessingException {
        return json.readTree(entity.toJson().toString());
    }

    private interface SdkCall<T> {
        T run() throws RazorpayException, JsonProcessingException;
    }

    /** One SDK call, timed as {@code billing_razorpay_calls_seconds{operation,outcome}}. */
    private <T> T call(String operation, String what, SdkCall<T> call) {
        long started = System.nanoTime();
        String outcome = "unknown";
        try {
            T result = call.run();
            outcome = "ok";
            return result;
        } catch (RazorpayException e) {
            int status = e.getStatusCode();
            boolean refused = status >= 400 && status < 500;
            outcome = refused ? "refused" : "unknown";
            throw new PaymentProviderException("Razorpay could not " + what + ": " + e.getMessage()
                    + (refused ? "" : " (the outcome is unknown; it is looked up again before any retry)"),
                    !refused, e);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new PaymentProviderException("Razorpay's answer to '" + what + "' could not be read: "
                    + e.getMessage(), true, e);
        } finally {
            metrics.razorpayCall(operation, outcome, System.nanoTime() - started);
        }
    }
}
