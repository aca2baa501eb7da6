package dev.meterbill.billing.error;

/** A payment operation while payments are switched off (RAZORPAY_ENABLED=false) (503). */
public final class PaymentsDisabledException extends BillingException {

    public PaymentsDisabledException() {
        super("Payments are disabled on this billing API (RAZORPAY_ENABLED=false)");
    }

    @Override public int status() { return 503; }
    @Override public String slug() { return "payments-disabled"; }
    @Override public String title() { return "Payments are disabled"; }
}
