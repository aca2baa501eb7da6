package dev.meterbill.billing.invoice;

import dev.meterbill.billing.error.UnpriceableInvoiceException;
import dev.meterbill.billing.period.ServiceDays;
import dev.meterbill.billing.plan.PricingPlan;
import dev.meterbill.billing.pricing.ChargeDefinition;
import dev.meterbill.billing.pricing.ChargeModel;
import dev.meterbill.billing.pricing.Discount;
import dev.meterbill.billing.pricing.GstBreakdown;
import dev.meterbill.billing.pricing.GstCalculator;
import dev.meterbill.billing.pricing.LineAmount;
import dev.meterbill.billing.pricing.MinimumCommitment;
import dev.meterbill.billing.pricing.Money;
import dev.meterbill.billing.pricing.PlanCharge;
import dev.meterbill.billing.pricing.PricingScope;
import dev.meterbill.events.GroupedMetricName;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Computes an invoice from a plan and usage; no I/O.
 *
 * <p>Lines, in this order: usage (one per charge with usage recorded for a plan priced per
 * organisation, with a breakdown per project; one per project x charge, projects by name, for a plan
 * priced per project), one per flat charge, the minimum-commitment top-up when the period's usage and
 * flat charges fall short of it, adjustments for late usage of earlier periods (which never count
 * towards the commitment of this period), then one negative line per discount. Flat fees and the
 * commitment are prorated to the billed days ({@link ServiceDays}). Every line is rounded once; the
 * subtotal is their sum; GST is computed on the subtotal ({@link GstCalculator}).
 *
 * <p>An invoice that cannot be represented (an amount beyond a 64-bit integer of minor units, a sum
 * that overflows, a quantity or price wider than its column: {@link InvoiceLimits}) is refused with
 * an {@link UnpriceableInvoiceException} naming the line, never half-computed.
 */
public final class InvoiceCalculator {

    private final GstCalculator gst;
    private final SupplierProfile supplier;

    /** @param supplier whose Letter of Undertaking decides whether an export is supplied without IGST */
    public InvoiceCalculator(GstCalculator gst, SupplierProfile supplier) {
        this.gst = gst;
        this.supplier = supplier;
    }

    /** A whole period's invoice without discounts. */
    public InvoiceDraft calculate(BillableOrganisation organisation, PricingPlan plan, List<UsageRow> usage,
                                  List<LateAdjustment> adjustments, ServiceDays days) {
        return calculate(organisation, plan, usage, adjustments, days, List.of());
    }

    /**
     * @param usage     the usage of the billed days only ({@code days})
     * @param days      the days of the period the subscription bills; flat fees and the minimum commitment
     *                  are prorated to them
     * @param discounts the discounts in force, applied in order to everything above them
     */
    public InvoiceDraft calculate(BillableOrganisation organisation, PricingPlan plan, List<UsageRow> usage,
                                  List<LateAdjustment> adjustments, ServiceDays days, List<Discount> discounts) {
        return calculate(organisation, plan, usage, adjustments, List.of(), days, discounts);
    }

    /** As above, with what re-ratings added to earlier invoiced periods, each an adjustment line of its period. */
    public InvoiceDraft calculate(BillableOrganisation organisation, PricingPlan plan, List<UsageRow> usage,
                                  List<LateAdjustment> adjustments, List<ReratingAdjustment> reratings, ServiceDays days,
                                  List<Discount> discounts) {
        String currency = plan.currency();
        List<InvoiceLine> lines = plan.pricingScope() == PricingScope.ORGANISATION
                ? organisationUsageLines(plan, usage) : projectUsageLines(plan, usage);
        for (PlanCharge charge : plan.priceableCharges()) {
            if (charge.definition().model() == ChargeModel.FLAT) {
                String label = charge.definition().metricName();
                LineAmount whole = priced(label, () -> charge.price(BigDecimal.ZERO));
                long amount = days.prorate(whole.amountMinor());
                String detail = days.isWholePeriod() ? whole.detail()
                        : whole.detail() + ", prorated for " + days.describe();
                BigDecimal quantity = days.isWholePeriod() ? whole.quantity() : prorationQuantity(days);
                lines.add(checked(label, new InvoiceLine(LineType.FLAT, null, charge.definition().id(),
                        charge.definition().metricName(), label + " — " + detail, quantity, whole.unitPrice(),
                        amount, null, null, plan.sacOf(charge.definition().id()))));
            }
        }
        long periodCharges = sum(lines, "sum of the period's charges");
        long minimum = days.prorate(plan.minimumCommitmentMinor());
        long shortfall = MinimumCommitment.shortfall(minimum, periodCharges);
        if (shortfall > 0) {
            lines.add(checked("minimum commitment", new InvoiceLine(LineType.MINIMUM_COMMITMENT, null, null, null,
                    "Minimum commitment of " + Money.toMajor(plan.minimumCommitmentMinor(), currency).toPlainString()
                            + " " + currency + " per period"
                            + (days.isWholePeriod() ? "" : ", prorated to " + Money.toMajor(minimum, currency)
                            .toPlainString() + " for " + days.describe())
                            + "; usage charges were " + Money.toMajor(periodCharges, currency).toPlainString(),
                    BigDecimal.ONE, Money.toMajor(shortfall, currency), shortfall, null, null, null)));
        }
        List<LateCorrection> corrections = new ArrayList<>();
        for (LateAdjustment adjustment : adjustments) {
            lines.add(adjustmentLine(adjustment, corrections));
        }
        for (ReratingAdjustment r : reratings) {
            lines.add(checked("re-rating of " + r.period(), new InvoiceLine(LineType.ADJUSTMENT, null, null, null,
                    r.description(), BigDecimal.ONE, Money.toMajor(r.amountMinor(), currency), r.amountMinor(), r.period(),
                    null, null)));
        }
        long remaining = sum(lines, "sum before discounts");
        for (Discount discount : discounts) {
            long off = discount.amountOff(remaining);
            if (off > 0) {
                remaining -= off;
                lines.add(new InvoiceLine(LineType.DISCOUNT, null, null, null, discount.description(), BigDecimal.ONE,
                        Money.toMajor(-off, currency), -off, null, null, null));
            }
        }
        long subtotal = sum(lines, "subtotal");
        // an LUT covers the supplies of its financial year: those of the period's days
        boolean underLut = organisation.abroad() && supplier.lutCovers(days.period().atEndOfMonth());
        GstBreakdown tax = gst.calculate(subtotal, organisation.stateCode(), organisation.abroad(), underLut);
        InvoiceLimits.add(subtotal, tax.totalMinor(), "total with GST");
        return new InvoiceDraft(lines, subtotal, tax, plan.minimumCommitmentMinor(), corrections,
                underLut ? supplier.lutReference() : null);
    }

    /**
     * One line per project x usage charge with usage recorded, projects by name; a charge on a metric definition has
     * one per group of the definition's usage, groups by name.
     */
    private static List<InvoiceLine> projectUsageLines(PricingPlan plan, List<UsageRow> usage) {
        List<InvoiceLine> lines = new ArrayList<>();
        Map<UUID, List<UsageRow>> byProject = new LinkedHashMap<>();
        usage.stream().sorted(BY_PROJECT).forEach(r -> byProject.computeIfAbsent(r.projectId(), k -> new ArrayList<>()).add(r));
        for (List<UsageRow> projectUsage : byProject.values()) {
            for (ChargeDefinition definition : plan.charges()) {
                for (UsageRow row : projectUsage.stream().filter(r -> plan.prices(definition, r.metricName()))
                        .sorted(Comparator.comparing(UsageRow::metricName)).toList()) {
                    PlanCharge charge = plan.priceable(definition, row.metricName());
                    String label = metricLabel(row.metricName()) + " · " + projectLabel(row.projectName(), row.projectId());
                    LineAmount amount = priced(label, () -> charge.price(row.quantities()));
                    lines.add(checked(label, new InvoiceLine(LineType.USAGE, row.projectId(), definition.id(),
                            row.metricName(), label + " — " + amount.detail(),
                            amount.quantity(), amount.unitPrice(), amount.amountMinor(), null, null,
                            plan.sacOf(definition.id()))));
                }
            }
        }
        return lines;
    }

    /**
     * One line per usage charge with usage recorded (per group of the definition's usage, groups by name, for a
     * charge on a metric definition), priced on the usage of all projects added up the way the charge's aggregation
     * adds up events ({@link CombinedUsage}), with the per-project breakdown.
     */
    private static List<InvoiceLine> organisationUsageLines(PricingPlan plan, List<UsageRow> usage) {
        List<InvoiceLine> lines = new ArrayList<>();
        for (ChargeDefinition definition : plan.charges()) {
            Map<String, List<UsageRow>> byName = new TreeMap<>();
            usage.stream().filter(r -> plan.prices(definition, r.metricName())).sorted(BY_PROJECT)
                    .forEach(r -> byName.computeIfAbsent(r.metricName(), k -> new ArrayList<>()).add(r));
            byName.forEach((metric, rows) -> {
                PlanCharge charge = plan.priceable(definition, metric);
                String label = metricLabel(metric) + " · " + (rows.size() == 1 ? projectLabel(rows.get(0).projectName(),
                        rows.get(0).projectId()) : rows.size() + " projects");
                LineAmount amount = priced(label, () -> charge.price(CombinedUsage.of(rows)));
                List<InvoiceLine.ProjectQuantity> breakdown = rows.stream()
                        .map(r -> new InvoiceLine.ProjectQuantity(r.projectId(), r.projectName(),
                                definition.aggregation().quantityOf(r.quantities())))
                        .toList();
                lines.add(checked(label, new InvoiceLine(LineType.USAGE, null, definition.id(), metric,
                        label + " — " + amount.detail(), amount.quantity(), amount.unitPrice(), amount.amountMinor(),
                        null, breakdown, plan.sacOf(definition.id()))));
            });
        }
        return lines;
    }

    /** A usage row's metric as an invoice shows it: the metric, or a definition's key and its group's values. */
    static String metricLabel(String metricName) {
        GroupedMetricName grouped = GroupedMetricName.parse(metricName);
        return grouped == null ? metricName
                : grouped.groups().isEmpty() ? grouped.key() : grouped.key() + " · " + grouped.describeGroups();
    }

    private static final Comparator<UsageRow> BY_PROJECT =
            Comparator.comparing((UsageRow r) -> r.projectName() == null ? "" : r.projectName())
                    .thenComparing(UsageRow::projectId);

    /** The share of the period billed, as the quantity of a prorated line: 12/31 days is 0.38709677. */
    private static BigDecimal prorationQuantity(ServiceDays days) {
        return BigDecimal.valueOf(days.billedDays())
                .divide(BigDecimal.valueOf(days.periodDays()), Money.UNIT_PRICE_SCALE, RoundingMode.HALF_UP);
    }

    /**
     * The line billing late usage of an earlier period: what it adds. When it lowers what that period owed,
     * the line is zero and the difference is a correction, credited on that period's invoice.
     */
    private static InvoiceLine adjustmentLine(LateAdjustment a, List<LateCorrection> corrections) {
        PlanCharge charge = a.charge();
        String metric = metricLabel(a.metricName());
        String where = metric + " · " + projectLabel(a.projectName(), a.projectId());
        String label = "late usage of " + a.period() + ": " + where;
        long billed = priced(label, () -> charge.price(a.before())).amountMinor();
        long owed = priced(label, () -> charge.price(a.after())).amountMinor();
        long amount = Math.max(0, owed - billed);
        if (owed < billed) {
            corrections.add(new LateCorrection(a.period(), "Late usage lowered " + where + " of " + a.period(), billed - owed));
        }
        var aggregation = charge.definition().aggregation();
        BigDecimal quantity = aggregation.quantityOf(a.after()).subtract(aggregation.quantityOf(a.before()))
                .max(BigDecimal.ZERO);
        String currency = charge.currency();
        BigDecimal unitPrice = quantity.signum() == 0 ? BigDecimal.ZERO
                : Money.toMajor(amount, currency).divide(quantity, Money.UNIT_PRICE_SCALE, RoundingMode.HALF_UP);
        String description = "Late usage of " + a.period() + ": " + where + " (" + a.events() + " event"
                + (a.events() == 1 ? "" : "s") + ")";
        return checked(label, new InvoiceLine(LineType.ADJUSTMENT, a.projectId(), charge.definition().id(),
                a.metricName(), description, quantity, unitPrice, amount, a.period(), null, a.sac()));
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
