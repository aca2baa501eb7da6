package dev.meterbill.billing.creditnote;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An issued credit note: immutable, numbered in its own series, reducing the invoice it references.
 * Amounts in minor units of the invoice's currency.
 */
public record CreditNote(UUID id, UUID invoiceId, UUID organisationId, String creditNoteNumber, CreditReason reason,
                         String memo, String currency, long subtotalMinor, long cgstMinor, long sgstMinor,
                         long igstMinor, long totalMinor, Instant issuedAt, List<Line> lines) {

    /**
     * One credited line.
     *
     * @param invoiceLine the 1-based number of the invoice line it credits; null for a credit of the whole
     *                    invoice or of a refund
     */
    public record Line(Integer invoiceLine, String description, BigDecimal quantity, long amountMinor) {}

    public CreditNote {
        lines = List.copyOf(lines);
    }
}
