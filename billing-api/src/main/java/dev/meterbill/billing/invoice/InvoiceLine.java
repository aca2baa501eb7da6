package dev.meterbill.billing.invoice;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.UUID;

/**
 * One line of an invoice. {@code amountMinor} is authoritative and rounded once; {@code quantity} x
 * {@code unitPrice} shows how it was reached (the average price for graduated tiers and adjustments).
 *
 * @param projectId        null for lines of the whole organisation (flat fees, minimum commitment)
 * @param adjustmentPeriod the earlier period an adjustment line bills; null otherwise
 */
public record InvoiceLine(LineType type, UUID projectId, UUID chargeId, String metricName, String description,
                          BigDecimal quantity, BigDecimal unitPrice, long amountMinor, YearMonth adjustmentPeriod) {}
