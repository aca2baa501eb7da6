package dev.meterbill.billing.payment;

import dev.meterbill.billing.error.PaymentProviderException;
import dev.meterbill.billing.error.PaymentsDisabledException;
import java.util.List;
import java.util.Map;

/**
 * The port to the payment provider: exactly the calls the platform makes (orders, an order's
 * payments, refunds) and the one check it needs of a checkout, in the provider's own records. The
 * ledger, the services and the handlers of this package know only this interface; the Razorpay
 * adapter ({@code payment.razorpay}) implements it through razorpay-java, and {@link #disabled()}
 * stands for payments switched off.
 *
 * <p>A call the provider refused or could not answer throws {@link PaymentProviderException}: refused
 * (nothing happened) or with an unknown outcome, which callers look up again before any retry.
 */
public interface PaymentProvider {

    /** False while payments are switched off: every other call then throws {@link PaymentsDisabledException}. */
    boolean enabled();

    /** Orders whose receipt is {@code receipt}, newest first. */
    List<ProviderOrder> ordersWithReceipt(String receipt);

    /** Creates an order for {@code amountMinor}; the notes travel with it and come back in every report of it. */
    ProviderOrder createOrder(long amountMinor, String currency, String receipt, Map<String, String> notes);

    /** Every payment the provider knows of the order. */
    List<ProviderPayment> paymentsOfOrder(String orderId);

    /** Refunds {@code amountMinor} of a captured payment; the notes name the platform's refund row. */
    ProviderRefund refund(String paymentId, long amountMinor, Map<String, String> notes, String receipt);

    /** Every refund the provider knows of the payment. */
    List<ProviderRefund> refundsOfPayment(String paymentId);

    /**
     * True when {@code signature}, handed to the customer's browser at checkout, proves that the provider
     * authorised {@code paymentId} for {@code orderId}.
     */
    boolean checkoutVerifies(String orderId, String paymentId, String signature);

    /** Payments switched off: not enabled, and every call throws {@link PaymentsDisabledException}. */
    static PaymentProvider disabled() {
        return DisabledPaymentProvider.INSTANCE;
    }
}
