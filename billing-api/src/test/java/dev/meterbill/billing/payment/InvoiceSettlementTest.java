package dev.meterbill.billing.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InvoiceSettlementTest {

    private static Invoice invoice(InvoiceStatus status) {
        return new Invoice(UUID.randomUUID(), UUID.randomUUID(), YearMonth.of(2026, 1), "MB2526-000001", status, "INR",
                null, 100_000, 9_000, 9_000, 0, 118_000, new BigDecimal("18"), "29", null, "29", null, 0,
                Instant.now(), Instant.now(), Instant.now(), null, null, "order_X", List.of());
    }

    private static StoredPayment captured(long amount, String currency) {
        return new StoredPayment(UUID.randomUUID(), UUID.randomUUID(), "order_X", "pay_X", amount, currency,
                PaymentStatus.CAPTURED, 0, "upi", null, false, null, null, null, Instant.now());
    }

    @Test
    void exactlyTheTotalInTheInvoiceCurrencySettlesAnUnpaidInvoice() {
        assertThat(InvoiceSettlement.mismatch(invoice(InvoiceStatus.ISSUED), captured(118_000, "INR"))).isNull();
        assertThat(InvoiceSettlement.mismatch(invoice(InvoiceStatus.UNCOLLECTIBLE), captured(118_000, "INR"))).isNull();
    }

    @Test
    void anotherAmountIsAMismatch() {
        assertThat(InvoiceSettlement.mismatch(invoice(InvoiceStatus.ISSUED), captured(117_999, "INR")))
                .contains("117999").contains("118000");
        assertThat(InvoiceSettlement.mismatch(invoice(InvoiceStatus.ISSUED), captured(118_001, "INR"))).isNotNull();
    }

    @Test
    void anotherCurrencyIsAMismatchEvenForTheSameNumber() {
        assertThat(InvoiceSettlement.mismatch(invoice(InvoiceStatus.ISSUED), captured(118_000, "USD")))
                .contains("USD").contains("INR");
    }

    @Test
    void aPaidOrVoidInvoiceIsNeverSettledAgain() {
        assertThat(InvoiceSettlement.mismatch(invoice(InvoiceStatus.PAID), captured(118_000, "INR")))
                .contains("already paid");
        assertThat(InvoiceSettlement.mismatch(invoice(InvoiceStatus.VOID), captured(118_000, "INR")))
                .contains("void");
    }
}
