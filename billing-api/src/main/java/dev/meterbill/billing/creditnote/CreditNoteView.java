package dev.meterbill.billing.creditnote;

import dev.meterbill.billing.pricing.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A credit note as the API shows it: amounts in major units with the currency's scale. */
public record CreditNoteView(UUID id, UUID invoiceId, UUID organisationId, String creditNoteNumber, String reason,
                             String memo, String currency, BigDecimal subtotal, BigDecimal cgst, BigDecimal sgst,
                             BigDecimal igst, BigDecimal total, long totalMinor, Instant issuedAt, List<Line> lines) {

    /** One credited line; {@code invoiceLine} is the 1-based number of the invoice line, null for the whole. */
    public record Line(Integer invoiceLine, String description, BigDecimal quantity, BigDecimal amount) {}

    public static CreditNoteView of(CreditNote n) {
        String c = n.currency();
        return new CreditNoteView(n.id(), n.invoiceId(), n.organisationId(), n.creditNoteNumber(),
                n.reason().wireName(), n.memo(), c, Money.toMajor(n.subtotalMinor(), c), Money.toMajor(n.cgstMinor(), c),
                Money.toMajor(n.sgstMinor(), c), Money.toMajor(n.igstMinor(), c), Money.toMajor(n.totalMinor(), c),
                n.totalMinor(), n.issuedAt(), n.lines().stream().map(l -> new Line(l.invoiceLine(), l.description(),
                l.quantity(), Money.toMajor(l.amountMinor(), c))).toList());
    }
}
