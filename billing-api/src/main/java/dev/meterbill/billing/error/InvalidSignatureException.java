package dev.meterbill.billing.error;

/** A Razorpay webhook or checkout callback whose signature does not verify; nothing was stored (400). */
public final class InvalidSignatureException extends BillingException {

    public InvalidSignatureException(String detail) {
        super(detail);
    }

    @Override public int status() { return 400; }
    @Override public String slug() { return "invalid-signature"; }
    @Override public String title() { return "The signature does not verify"; }
}
