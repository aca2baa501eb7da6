package dev.meterbill.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What covers an invoice of 1,180.00 (1,000.00 taxable + 18% GST), in paise, and the status it moves to:
 * partial payments, payments net of TDS, credit notes and customer credit.
 */
class InvoiceBalanceTest {

    private static final long TOTAL = 118_000;

    @ParameterizedTest(name = "{0}: paid {1}, TDS {2}, credited {3}, credit applied {4} -> {5}, due {6}, excess {7}")
    @CsvSource({
            // nothing yet
            "ISSUED,         0,      0,     0,      0,      ISSUED,         118000, 0",
            // an instalment of half
            "ISSUED,         59000,  0,     0,      0,      PARTIALLY_PAID, 59000,  0",
            // the second instalment pays it
            "PARTIALLY_PAID, 118000, 0,     0,      0,      PAID,           0,      0",
            // 90% paid, the customer deducted 10% of the total as TDS and certifies it
            "ISSUED,         106200, 11800, 0,      0,      PAID,           0,      0",
            // 10% TDS on the taxable value (100.00), the rest paid: 1,080.00 + 100.00
            "ISSUED,         108000, 10000, 0,      0,      PAID,           0,      0",
            // paid net of TDS before the TDS is recorded: partially paid, 100.00 due until the certificate
            "ISSUED,         108000, 0,     0,      0,      PARTIALLY_PAID, 10000,  0",
            // TDS recorded first, nothing paid yet
            "ISSUED,         0,      10000, 0,      0,      PARTIALLY_PAID, 108000, 0",
            // a credit note of 118.00 and the rest paid
            "ISSUED,         106200, 0,     11800,  0,      PAID,           0,      0",
            // credited in full: nothing due
            "ISSUED,         0,      0,     118000, 0,      PAID,           0,      0",
            // customer credit of an earlier overpayment covering 500.00, then 680.00 paid
            "ISSUED,         68000,  0,     0,      50000,  PAID,           0,      0",
            // paid twice: the second payment is the customer's credit
            "PAID,           236000, 0,     0,      0,      PAID,           0,      118000",
            // paid in full, then credited 118.00: 118.00 of customer credit (refunded or kept)
            "PAID,           118000, 0,     11800,  0,      PAID,           0,      11800",
            // an uncollectible invoice stays so until it is paid in full
            "UNCOLLECTIBLE,  59000,  0,     0,      0,      UNCOLLECTIBLE,  59000,  0",
            "UNCOLLECTIBLE,  118000, 0,     0,      0,      PAID,           0,      0",
    })
    void coversTheTotalWithPaymentsTdsCreditNotesAndCredit(InvoiceStatus status, long paid, long tds, long credited,
                                                         long applied, InvoiceStatus settled, long due, long excess) {
        InvoiceBalance balance = new InvoiceBalance(paid, tds, credited, applied);

        assertThat(balance.settledStatus(status, TOTAL)).isEqualTo(settled);
        assertThat(balance.dueMinor(TOTAL)).isEqualTo(due);
        assertThat(balance.excessMinor(TOTAL)).isEqualTo(excess);
    }

    @ParameterizedTest(name = "a {0} invoice keeps its status")
    @CsvSource({"DRAFT", "VOID", "PAID"})
    void onlyUnpaidIssuedInvoicesMove(InvoiceStatus status) {
        assertThat(new InvoiceBalance(1, 0, 0, 0).settledStatus(status, TOTAL)).isEqualTo(status);
    }
}
