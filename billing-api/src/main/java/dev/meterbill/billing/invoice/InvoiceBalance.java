package dev.meterbill.billing.invoice;

/**
 * What covers an invoice's total, in minor units of its currency: captured payments net of their
 * refunds, TDS the customer deducted and certifies, credit notes, and customer credit applied to it.
 * Payments in another currency are not counted (they are mismatches).
 */
public record InvoiceBalance(long paidMinor, long tdsMinor, long creditedMinor, long appliedCreditMinor) {

    public static final InvoiceBalance NONE = new InvoiceBalance(0, 0, 0, 0);

    public long coveredMinor() {
        return paidMinor + tdsMinor + creditedMinor + appliedCreditMinor;
    }

    /** What the customer still owes; never negative. */
    public long dueMinor(long totalMinor) {
        return Math.max(0, totalMinor - coveredMinor());
    }

    /** What was covered beyond the total: the customer's money, available as credit for its next invoices. */
    public long excessMinor(long totalMinor) {
        return Math.max(0, coveredMinor() - totalMinor);
    }

    /**
     * The status an unpaid invoice moves to: paid once covered, partially paid once anything covers it
     * (an uncollectible invoice stays so until paid); any other status stays as it is.
     */
    public InvoiceStatus settledStatus(InvoiceStatus status, long totalMinor) {
        if (status != InvoiceStatus.ISSUED && status != InvoiceStatus.PARTIALLY_PAID
                && status != InvoiceStatus.UNCOLLECTIBLE) {
            return status;
        }
        if (coveredMinor() >= totalMinor) {
            return InvoiceStatus.PAID;
        }
        return coveredMinor() > 0 && status == InvoiceStatus.ISSUED ? InvoiceStatus.PARTIALLY_PAID : status;
    }
}
