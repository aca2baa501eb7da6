package dev.meterbill.billing.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceBalance;
import dev.meterbill.billing.invoice.InvoiceStatus;
import dev.meterbill.billing.pricing.GstBreakdown;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InvoiceSettlementTest {

    private static Invoice invoice(InvoiceStatus status) {
        return new Invoice(UUID.randomUUID(), UUID.randomUUID(), YearMonth.of(2026, 1), "MB2526-000001", status, "INR",
                null, 100_000, 9_000, 9_000, 0, 118_000, new BigDecimal("18"), "29", null, "29", null, 0,
                Instant.now(), Instant.now(), Instant.now(), null, null, "order_X", GstBreakdown.Supply.INTRA_STATE, null,
                InvoiceBalance.NONE,
                new Invoice.Customer("Acme", "a@acme.in", null), null, List.of());
    }

    private static StoredPayment captured(long amount, String currency) {
        return new StoredPayment(UUID.randomUUID(), UUID.randomUUID(), "order_X", "pay_X", amount, currency,
                PaymentStatus.CAPTURED, 0, "upi", null, false, null, null, null, Instant.now());
    }

    @ParameterizedTest(name = "{0} invoice, {1} {2} captured: mismatch {3}")
    @CsvSource({
            // any amount in the invoice's currency counts: short (partial, net of TDS), exact, or over (credit)
            "ISSUED,         118000, INR, false",
            "ISSUED,         106200, INR, false",
            "ISSUED,         118001, INR, false",
            "PARTIALLY_PAID,  11800, INR, false",
            "UNCOLLECTIBLE,  118000, INR, false",
            // the customer's money on a paid or void invoice is its credit, not a mismatch
            "PAID,           118000, INR, false",
            "VOID,           118000, INR, false",
            // another currency never counts, even for the same number
            "ISSUED,         118000, USD, true",
            "PAID,           118000, USD, true",
    })
    void onlyMoneyInAnotherCurrencyIsAMismatch(InvoiceStatus status, long amount, String currency, boolean mismatch) {
        String reason = InvoiceSettlement.mismatch(invoice(status), captured(amount, currency));

        assertThat(reason != null).isEqualTo(mismatch);
        if (mismatch) {
            assertThat(reason).contains(currency).contains("INR");
        }
    }
}
