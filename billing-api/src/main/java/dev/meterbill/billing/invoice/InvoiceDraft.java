package dev.meterbill.billing.invoice;

import dev.meterbill.billing.pricing.GstBreakdown;
import java.util.List;

/** The computed content of an invoice before it is stored: lines, subtotal, GST and total, in minor units. */
public record InvoiceDraft(List<InvoiceLine> lines, long subtotalMinor, GstBreakdown tax, long minimumCommitmentMinor,
                           List<LateCorrection> corrections, String lutReference) {

    public InvoiceDraft {
        lines = List.copyOf(lines);
        corrections = List.copyOf(corrections);
    }

    public long totalMinor() {
        return subtotalMinor + tax.totalMinor();
    }
}
