package dev.meterbill.billing.invoice;

import dev.meterbill.billing.error.UnpriceableInvoiceException;
import dev.meterbill.billing.plan.PricingPlan;
import dev.meterbill.billing.pricing.ChargeModel;
import dev.meterbill.billing.pricing.GstBreakdown;
import dev.meterbill.billing.pricing.GstCalculator;
import dev.meterbill.billing.pricing.LineAmount;
import dev.meterbill.billing.pricing.MinimumCommitment;
import dev.meterbill.billing.pricing.Money;
import dev.meterbill.billing.pricing.PlanCharge;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Computes an invoice from a plan and usage; no I/O.
 *
 * <p>Lines, in this order: one per project x usage charge that has usage recorded (projects by name),
 * one per flat charge, the minimum-commitment top-up when the period's usage and flat charges fall
 * short of it, then adjustments for late usage of earlier periods (which never count towards the
 * commitment of this period). Every line is rounded once; the subtotal is their sum; GST is computed
 * on the subtotal ({@link GstCalculator}).
 *
 * <p>An invoice that cannot be represented (an amount beyond a 64-bit integer of minor units, a sum
 * that overflows, a quantity or price wider than its column: {@link InvoiceLimits}) is refused with
 * an {@link UnpriceableInvoiceException} naming the line, never half-computed.
 */
public final class InvoiceCalculator {

    private final GstCalculator gst;

    public InvoiceCalculator(GstCalculator gst) {
        this.gst = gst;
    }

    public InvoiceDraft calculate(BillableOrganisation organisation, PricingPlan plan, List<UsageRow> usage,
                                  List<LateAdjustment> adjustments) {
        String currency = plan.currency();
        List<InvoiceLine> lines = new ArrayList<>();
        List<PlanCharge> charges = plan.priceableCharges();

        Map<UUID, Map<String, UsageRow>> byProject = new LinkedHashMap<>();
        usage.stream()
                .sorted(Comparator.comparing((UsageRow r) -> r.projectName() == null ? "" : r.projectName())
                        .thenComparing(UsageRow::projectId))
                .forEach(r -> byProject.computeIfAbsent(r.projectId(), k -> new HashMap<>()).put(r.metricName(), r));
        for (Map<String, UsageRow> projectUsage : byProject.values()) {
            for (PlanCharge charge : charges) {
                if (charge.definition().model() == ChargeModel.FLAT) {
                    continue;
                }
                UsageRow row = projectUsage.get(charge.definition().metricName());
                if (row != null) {
                    String label = row.metricName() + " · " + projectLabel(row.projectName(), row.projectId());
                    LineAmount amount = priced(label, () -> charge.price(row.quantities()));
                    lines.add(checked(label, new InvoiceLine(LineType.USAGE, row.projectId(), charge.definition().id(),
                            row.metricName(), label + " — " + amount.detail(),
                            amount.quantity(), amount.unitPrice(), amount.amountMinor(), null)));
                }
            }
        }
        for (PlanCharge charge : charges) {
            if (charge.definition().model() == ChargeModel.FLAT) {
                String label = charge.definition().metricName();
                LineAmount amount = priced(label, () -> charge.price(BigDecimal.ZERO));
                lines.add(checked(label, new InvoiceLine(LineType.FLAT, null, charge.definition().id(),
                        charge.definition().metricName(), label + " — " + amount.detail(),
                        amount.quantity(), amount.unitPrice(), amount.amountMinor(), null)));
            }
        }
        long periodCharges = sum(lines, "sum of the period's charges");
        long shortfall = MinimumCommitment.shortfall(plan.minimumCommitmentMinor(), periodCharges);
        if (shortfall > 0) {
            lines.add(checked("minimum commitment", new InvoiceLine(LineType.MINIMUM_COMMITMENT, null, null, null,
                    "Minimum commitment of " + Money.toMajor(plan.minimumCommitmentMinor(), currency).toPlainString()
                            + " " + currency + " per period; usage charges were "
                            + Money.toMajor(periodCharges, currency).toPlainString(),
                    BigDecimal.ONE, Money.toMajor(shortfall, currency), shortfall, null)));
        }
        for (LateAdjustment adjustment : adjustments) {
            lines.add(adjustmentLine(adjustment));
        }
        long subtotal = sum(lines, "subtotal");
        GstBreakdown tax = gst.calculate(subtotal, organisation.stateCode());
        InvoiceLimits.add(subtotal, tax.totalMinor(), "total with GST");
        return new InvoiceDraft(lines, subtotal, tax, plan.minimumCommitmentMinor());
    }

    private static InvoiceLine adjustmentLine(LateAdjustment a) {
        PlanCharge charge = a.charge();
        String label = "late usage of " + a.period() + ": " + charge.definition().metricName() + " · "
                + projectLabel(a.projectName(), a.projectId());
        long billed = priced(label, () -> charge.price(a.before())).amountMinor();
        long owed = priced(label, () -> charge.price(a.after())).amountMinor();
        // A late event can lower a max or latest quantity; corrections downwards are credit notes, not lines.
        long amount = Math.max(0, owed - billed);
        var aggregation = charge.definition().aggregation();
        BigDecimal quantity = aggregation.quantityOf(a.after()).subtract(aggregation.quantityOf(a.before()))
                .max(BigDecimal.ZERO);
        String currency = charge.currency();
        BigDecimal unitPrice = quantity.signum() == 0 ? BigDecimal.ZERO
                : Money.toMajor(amount, currency).divide(quantity, Money.UNIT_PRICE_SCALE, RoundingMode.HALF_UP);
        String description = "Late usage of " + a.period() + ": " + charge.definition().metricName() + " · "
                + projectLabel(a.projectName(), a.projectId()) + " (" + a.events() + " event"
                + (a.events() == 1 ? "" : "s") + ")";
        return checked(label, new InvoiceLine(LineType.ADJUSTMENT, a.projectId(), charge.definition().id(),
                charge.definition().metricName(), description, quantity, unitPrice, amount, a.period()));
    }

    /** Prices one line; an amount no long of minor units holds is refused naming the line. */
    private static LineAmount priced(String label, Supplier<LineAmount> pricing) {
        try {
            return pricing.get();
        } catch (ArithmeticException e) {
            throw new UnpriceableInvoiceException(label + ": the amount exceeds the largest amount an invoice line can"
                    + " hold (" + Long.MAX_VALUE + " minor units)", e);
        }
    }

    private static InvoiceLine checked(String label, InvoiceLine line) {
        InvoiceLimits.requireStorable(line, label);
        return line;
    }

    private static long sum(List<InvoiceLine> lines, String what) {
        long sum = 0;
        for (InvoiceLine line : lines) {
            sum = InvoiceLimits.add(sum, line.amountMinor(), what);
        }
        return sum;
    }

    private static String projectLabel(String name, UUID id) {
        return name != null ? name : "project " + id;
    }
}
