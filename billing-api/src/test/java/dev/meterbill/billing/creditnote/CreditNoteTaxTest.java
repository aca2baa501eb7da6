package dev.meterbill.billing.creditnote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.billing.creditnote.CreditNoteTax.Amounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GST reversed by credit notes, computed by hand; amounts in paise, GST 18%. */
class CreditNoteTaxTest {

    /** 1,000.00 within the state: CGST 90.00 + SGST 90.00. */
    private static final Amounts INTRA = new Amounts(100_000, 9_000, 9_000, 0);
    /** 1,000.03 within the state: 18% is 180.0054 -> 180.01, CGST takes the odd paisa: 90.01 + 90.00. */
    private static final Amounts INTRA_ODD = new Amounts(100_003, 9_001, 9_000, 0);
    /** 1,000.03 to another state: IGST 180.01. */
    private static final Amounts INTER_ODD = new Amounts(100_003, 0, 0, 18_001);

    private static Amounts invoice(String name) {
        return switch (name) {
            case "intra" -> INTRA;
            case "intra_odd" -> INTRA_ODD;
            default -> INTER_ODD;
        };
    }

    @ParameterizedTest(name = "{0}: credit {1} after {2} credited -> cgst {3} sgst {4} igst {5}")
    @CsvSource({
            // a third of 1,000.00: 90.00 x 333.33/1,000.00 = 29.9997 -> 30.00 each
            "intra,     33333, 0,     3000, 3000, 0",
            // the second third: 90.00 x 666.66/1,000.00 = 59.9994 -> 60.00, less the 30.00 before
            "intra,     33333, 33333, 3000, 3000, 0",
            // the rest: exactly what is left of the invoice's tax
            "intra,     33334, 66666, 3000, 3000, 0",
            // half of 1,000.03: CGST 90.01 x 500/1,000.03 = 45.0036 -> 45.00; SGST 44.9986 -> 45.00
            "intra_odd, 50000, 0,     4500, 4500, 0",
            // the other half takes the odd paisa back: 90.01 - 45.00 and 90.00 - 45.00
            "intra_odd, 50003, 50000, 4501, 4500, 0",
            // inter-state half: 180.01 x 500/1,000.03 = 90.0023 -> 90.00; the rest 90.01
            "inter_odd, 50000, 0,     0,    0,    9000",
            "inter_odd, 50003, 50000, 0,    0,    9001",
            // one paisa of 1,000.03: 0.0018 -> 0.00 of tax
            "inter_odd, 1,     0,     0,    0,    0",
    })
    void reversesTheInvoicesGstInProportionCumulatively(String name, long taxable, long creditedTaxable, long cgst,
                                                         long sgst, long igst) {
        Amounts invoice = invoice(name);
        Amounts before = creditedTaxable == 0 ? Amounts.NONE
                : CreditNoteTax.ofTaxable(invoice, Amounts.NONE, creditedTaxable);

        Amounts note = CreditNoteTax.ofTaxable(invoice, before, taxable);

        assertThat(note).isEqualTo(new Amounts(taxable, cgst, sgst, igst));
    }

    @Test
    void creditingEverythingInAnyStepsReversesExactlyTheInvoicesTax() {
        for (Amounts invoice : new Amounts[] {INTRA, INTRA_ODD, INTER_ODD}) {
            Amounts credited = Amounts.NONE;
            long left = invoice.subtotal();
            for (long step : new long[] {1, 333, 17_001, 29_999, 7}) {
                credited = credited.plus(CreditNoteTax.ofTaxable(invoice, credited, step));
                left -= step;
            }
            credited = credited.plus(CreditNoteTax.ofTaxable(invoice, credited, left));
            assertThat(credited).isEqualTo(invoice);
        }
    }

    @ParameterizedTest(name = "{0}: refund {1} after {2} refunded -> taxable {3}, cgst {4} sgst {5} igst {6}")
    @CsvSource({
            // half of 1,180.00: 590.00 = 500.00 + 45.00 + 45.00
            "intra,     59000,  0,     50000, 4500, 4500, 0",
            // 10.00: CGST 90.00 x 10/1,180 = 0.7627 -> 0.76 each, 8.48 taxable
            "intra,     1000,   0,     848,   76,   76,   0",
            // the rest of 1,180.00 after 590.00: the other half exactly
            "intra,     59000,  59000, 50000, 4500, 4500, 0",
            // 1,180.04 to another state, 100.00 refunded: IGST 180.01 x 100/1,180.04 = 15.2546 -> 15.25
            "inter_odd, 10000,  0,     8475,  0,    0,    1525",
    })
    void aRefundIsCreditedGrossWithTheGstItHolds(String name, long gross, long refundedBefore, long taxable, long cgst,
                                              long sgst, long igst) {
        Amounts invoice = invoice(name);
        Amounts before = refundedBefore == 0 ? Amounts.NONE : CreditNoteTax.ofGross(invoice, Amounts.NONE, refundedBefore);

        Amounts note = CreditNoteTax.ofGross(invoice, before, gross);

        assertThat(note).isEqualTo(new Amounts(taxable, cgst, sgst, igst));
        assertThat(note.total()).isEqualTo(gross);
    }
}
