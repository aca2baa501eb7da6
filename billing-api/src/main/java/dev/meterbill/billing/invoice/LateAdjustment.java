package dev.meterbill.billing.invoice;

import dev.meterbill.billing.pricing.PlanCharge;
import dev.meterbill.billing.pricing.UsageQuantities;
import java.time.YearMonth;
import java.util.UUID;

/**
 * Late usage of one project and metric in an earlier period, priced as the difference it makes:
 * the charge applied to the usage with the late events, minus the charge applied to the usage
 * already billed. Each side is rounded once, like the line it corrects.
 *
 * @param before what was billed: the final aggregate plus late events already adjusted
 * @param after  {@code before} with the pending late events applied
 * @param sac        the SAC the period's plan names for the charge; null: the supplier's default
 * @param metricName the usage rows it adjusts: the charge's metric, or a group of its metric definition
 */
public record LateAdjustment(UUID projectId, String projectName, YearMonth period, PlanCharge charge,
                             UsageQuantities before, UsageQuantities after, int events, String sac, String metricName) {

    public LateAdjustment(UUID projectId, String projectName, YearMonth period, PlanCharge charge,
                          UsageQuantities before, UsageQuantities after, int events) {
        this(projectId, projectName, period, charge, before, after, events, null, charge.definition().metricName());
    }
}
