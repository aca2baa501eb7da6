package dev.meterbill.billing.invoice;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

/**
 * One line of an invoice. {@code amountMinor} is authoritative and rounded once; {@code quantity} x
 * {@code unitPrice} shows how it was reached (the average price for graduated tiers and adjustments).
 *
 * @param projectId        null for lines of the whole organisation (flat fees, minimum commitment)
 * @param adjustmentPeriod the earlier period an adjustment line bills; null otherwise
 * @param breakdown        per project, the usage of a line priced per organisation; null for other lines
 * @param sac              the services accounting code its charge names; null: the supplier's default
 */
public record InvoiceLine(LineType type, UUID projectId, UUID chargeId, String metricName, String description,
                          BigDecimal quantity, BigDecimal unitPrice, long amountMinor, YearMonth adjustmentPeriod,
                          List<ProjectQuantity> breakdown, String sac) {

    /** One project's share of the usage of a line priced per organisation. */
    public record ProjectQuantity(UUID projectId, String projectName, BigDecimal quantity) {}

    public InvoiceLine {
        breakdown = breakdown == null ? null : List.copyOf(breakdown);
    }
}
