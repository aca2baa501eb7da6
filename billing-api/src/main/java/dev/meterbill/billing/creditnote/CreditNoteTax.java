package dev.meterbill.billing.creditnote;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * GST reversed by a credit note: the invoice's own CGST, SGST and IGST, in proportion to what is
 * credited, so the supply type is the invoice's. Proportions are taken cumulatively over all credit notes
 * of the invoice: each component credited so far is {@code round(invoice component x credited so far /
 * invoice base)}, HALF_UP, and a note takes the difference from the notes before it. Rounding never
 * drifts: crediting everything reverses exactly the invoice's tax, paisa for paisa.
 */
final class CreditNoteTax {

    /** Amounts of an invoice or of credit notes, in minor units. */
    record Amounts(long subtotal, long cgst, long sgst, long igst) {
        static final Amounts NONE = new Amounts(0, 0, 0, 0);

        long tax() {
            return cgst + sgst + igst;
        }

        long total() {
            return subtotal + tax();
        }

        Amounts plus(Amounts other) {
            return new Amounts(subtotal + other.subtotal, cgst + other.cgst, sgst + other.sgst, igst + other.igst);
        }
    }

    private CreditNoteTax() {}

    /** A note crediting {@code taxable} of the invoice's subtotal, with the GST on it. */
    static Amounts ofTaxable(Amounts invoice, Amounts creditedBefore, long taxable) {
        long cumulative = creditedBefore.subtotal() + taxable;
        return new Amounts(taxable,
                share(invoice.cgst(), cumulative, invoice.subtotal()) - creditedBefore.cgst(),
                share(invoice.sgst(), cumulative, invoice.subtotal()) - creditedBefore.sgst(),
                share(invoice.igst(), cumulative, invoice.subtotal()) - creditedBefore.igst());
    }

    /** A note crediting {@code gross} of the invoice's total (a refund): the GST in it, and the rest taxable. */
    static Amounts ofGross(Amounts invoice, Amounts creditedBefore, long gross) {
        long cumulative = creditedBefore.total() + gross;
        long cgst = share(invoice.cgst(), cumulative, invoice.total()) - creditedBefore.cgst();
        long sgst = share(invoice.sgst(), cumulative, invoice.total()) - creditedBefore.sgst();
        long igst = share(invoice.igst(), cumulative, invoice.total()) - creditedBefore.igst();
        return new Amounts(gross - cgst - sgst - igst, cgst, sgst, igst);
    }

    private static long share(long component, long part, long whole) {
        if (whole == 0) {
            return 0;
        }
        return BigDecimal.valueOf(component).multiply(BigDecimal.valueOf(part))
                .divide(BigDecimal.valueOf(whole), 0, RoundingMode.HALF_UP).longValueExact();
    }
}
