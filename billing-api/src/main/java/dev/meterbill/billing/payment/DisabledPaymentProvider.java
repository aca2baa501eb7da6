package dev.meterbill.billing.payment;

import dev.meterbill.billing.error.PaymentsDisabledException;
import java.util.List;
import java.util.Map;

/**
 * The provider while payments are switched off ({@code RAZORPAY_ENABLED=false}): invoices are issued
 * without orders, and whatever would reach the provider answers 503 ({@link PaymentsDisabledException}).
 */
final class DisabledPaymentProvider implements PaymentProvider {

    static final PaymentProvider INSTANCE = new DisabledPaymentProvider();

    private DisabledPaymentProvider() {}

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public List<ProviderOrder> ordersWithReceipt(String receipt) {
        throw new PaymentsDisabledException();
    }

    @Override
    public ProviderOrder createOrder(long amountMinor, String currency, String receipt, Map<String, String> notes) {
        throw new PaymentsDisabledException();
    }

    @Override
    public List<ProviderPayment> paymentsOfOrder(String orderId) {
        throw new PaymentsDisabledException();
    }

    @Override
    public ProviderRefund refund(String paymentId, long amountMinor, Map<String, String> notes, String receipt) {
        throw new PaymentsDisabledException();
    }

    @Override
    public List<ProviderRefund> refundsOfPayment(String paymentId) {
        throw new PaymentsDisabledException();
    }

    @Override
    public boolean checkoutVerifies(String orderId, String paymentId, String signature) {
        throw new PaymentsDisabledException();
    }

    @Override
    public String toString() {
        return "PaymentProvider[disabled]";
    }
}
