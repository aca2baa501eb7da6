package dev.meterbill.billing.invoice;

import dev.meterbill.billing.error.UnpriceableInvoiceException;
import dev.meterbill.events.Decimals;
import java.math.BigDecimal;

/**
 * What an invoice line can hold, checked before anything is written: a quantity fits
 * {@code invoice_line_items.quantity} NUMERIC(50,12) and a unit price fits NUMERIC(20,8) exactly (the
 * database would otherwise round a price silently or refuse the whole chunk), and amounts are whole
 * minor units of a 64-bit integer, added without overflow.
 */
final class InvoiceLimits {

    static final int QUANTITY_SCALE = 12;
    static final int QUANTITY_INTEGER_DIGITS = 38;
    static final int UNIT_PRICE_SCALE = 8;
    static final int UNIT_PRICE_INTEGER_DIGITS = 12;

    private InvoiceLimits() {}

    static void requireStorable(InvoiceLine line, String label) {
        String quantity = Decimals.violation(line.quantity(), QUANTITY_SCALE, QUANTITY_INTEGER_DIGITS);
        if (quantity != null) {
            throw new UnpriceableInvoiceException(label + ": the quantity " + plain(line.quantity())
                    + " does not fit an invoice line (it " + quantity + ")");
        }
        String price = Decimals.violation(line.unitPrice(), UNIT_PRICE_SCALE, UNIT_PRICE_INTEGER_DIGITS);
        if (price != null) {
            throw new UnpriceableInvoiceException(label + ": the unit price " + plain(line.unitPrice())
                    + " does not fit an invoice line (it " + price + ")");
        }
        if (line.amountMinor() < 0) {
            throw new UnpriceableInvoiceException(label + ": the amount is negative");
        }
    }

    /** {@code a + b}, or a refusal naming what overflowed. */
    static long add(long a, long b, String what) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new UnpriceableInvoiceException("the " + what + " exceeds the largest amount an invoice can hold ("
                    + Long.MAX_VALUE + " minor units)", e);
        }
    }

    private static String plain(BigDecimal value) {
        String text = value.toPlainString();
        return text.length() <= 60 ? text : value.toString();
    }
}
