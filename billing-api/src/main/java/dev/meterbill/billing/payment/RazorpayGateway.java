package dev.meterbill.billing.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.razorpay.Entity;
import com.razorpay.RazorpayClient;
import com.razorpay.RazorpayException;
import dev.meterbill.billing.error.PaymentProviderException;
import dev.meterbill.billing.metrics.BillingMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;

/**
 * The Razorpay calls the platform makes, all through razorpay-java: orders, an order's payments,
 * refunds. SDK failures become {@link PaymentProviderException}: a 4xx answer means Razorpay refused
 * and did nothing; anything else (timeout, lost connection, 5xx) leaves the outcome unknown.
 */
public final class RazorpayGateway {

    private final RazorpayClient client;
    private final ObjectMapper json;
    private final BillingMetrics metrics;

    private RazorpayGateway(RazorpayClient client, ObjectMapper json, BillingMetrics metrics) {
        this.client = client;
        this.json = json;
        this.metrics = metrics;
    }

    /** Builds the SDK client for the account and points it at the configured base URL. */
    public static RazorpayGateway connect(RazorpaySettings settings, ObjectMapper json, BillingMetrics metrics) {
        try {
            RazorpayClient client = new RazorpayClient(settings.keyId(), settings.keySecret());
            RazorpayRedirect.apply(settings.apiBaseUrl(), settings.redirected());
            return new RazorpayGateway(client, json, metrics);
        } catch (RazorpayException e) {
            throw new IllegalStateException("cannot initialise razorpay-java: " + e.getMessage(), e);
        }
    }

    /** Orders whose receipt is {@code receipt}, newest first. */
    public List<ProviderOrder> ordersWithReceipt(String receipt) {
        return call("orders.fetch_by_receipt", "look up orders by receipt", () -> {
            List<ProviderOrder> orders = new ArrayList<>();
            for (Entity order : client.orders.fetchAll(new JSONObject().put("receipt", receipt))) {
                orders.add(ProviderOrder.fromJson(tree(order)));
            }
            return orders;
        });
    }

    public ProviderOrder createOrder(long amountMinor, String currency, String receipt, Map<String, String> notes) {
        JSONObject request = new JSONObject().put("amount", amountMinor).put("currency", currency)
                .put("receipt", receipt).put("notes", new JSONObject(notes));
        return call("orders.create", "create an order", () -> ProviderOrder.fromJson(tree(client.orders.create(request))));
    }

    public List<ProviderPayment> paymentsOfOrder(String orderId) {
        return call("orders.fetch_payments", "fetch the payments of order " + orderId, () -> {
            List<ProviderPayment> payments = new ArrayList<>();
            for (Entity payment : client.orders.fetchPayments(orderId)) {
                payments.add(ProviderPayment.fromJson(tree(payment)));
            }
            return payments;
        });
    }

    /** Refunds {@code amountMinor} of a captured payment; the notes name the platform's refund row. */
    public ProviderRefund refund(String paymentId, long amountMinor, Map<String, String> notes, String receipt) {
        JSONObject request = new JSONObject().put("amount", amountMinor).put("notes", new JSONObject(notes))
                .put("receipt", receipt);
        return call("payments.refund", "refund payment " + paymentId,
                () -> ProviderRefund.fromJson(tree(client.payments.refund(paymentId, request))));
    }

    public List<ProviderRefund> refundsOfPayment(String paymentId) {
        return call("payments.fetch_refunds", "fetch the refunds of payment " + paymentId, () -> {
            List<ProviderRefund> refunds = new ArrayList<>();
            for (Entity refund : client.payments.fetchAllRefunds(paymentId)) {
                refunds.add(ProviderRefund.fromJson(tree(refund)));
            }
            return refunds;
        });
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
