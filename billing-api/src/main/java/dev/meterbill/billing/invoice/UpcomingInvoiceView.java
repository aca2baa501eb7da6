package dev.meterbill.billing.invoice;

import dev.meterbill.billing.invoice.InvoiceRepository.NewInvoice;
import dev.meterbill.billing.pricing.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a period's invoice would be if it were generated now, priced by the invoice run's own code from the
 * live usage, the plan, the organisation's prices and discounts in force: an estimate ({@code estimate} is
 * always true), which changes as usage arrives and is never stored.
 *
 * @param asOf when it was priced
 */
public record UpcomingInvoiceView(UUID organisationId, String period, boolean estimate, Instant asOf, String currency,
                                  UUID pricingPlanId, BigDecimal subtotal, InvoiceView.Tax tax, BigDecimal total,
                                  long totalMinor, BigDecimal minimumCommitment, List<InvoiceView.Line> lines) {

    static UpcomingInvoiceView of(NewInvoice invoice, Instant asOf) {
        String c = invoice.currency();
        InvoiceDraft draft = invoice.draft();
        return new UpcomingInvoiceView(invoice.organisation().id(), invoice.period().toString(), true, asOf, c,
                invoice.pricingPlanId(), Money.toMajor(draft.subtotalMinor(), c),
                InvoiceView.tax(draft.tax(), c, draft.lutReference()), Money.toMajor(draft.totalMinor(), c),
                draft.totalMinor(), Money.toMajor(draft.minimumCommitmentMinor(), c), InvoiceView.lines(draft.lines(), c));
    }
}
