package dev.meterbill.benchmarks.invoices;

import static dev.meterbill.testkit.BulkTenants.metric;

import dev.meterbill.billing.plan.PlanDefinition;
import dev.meterbill.billing.plan.PricingPlanRepository;
import dev.meterbill.billing.pricing.Aggregation;
import dev.meterbill.billing.pricing.ChargeDefinition;
import dev.meterbill.billing.pricing.GraduatedChargeDefinition;
import dev.meterbill.billing.pricing.PackageChargeDefinition;
import dev.meterbill.billing.pricing.PerUnitChargeDefinition;
import dev.meterbill.billing.pricing.PricingScope;
import dev.meterbill.billing.pricing.Tier;
import dev.meterbill.billing.pricing.VolumeChargeDefinition;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The plan of the invoice-run benchmark, stored through billing-api's repository; the tenants and
 * their usage come from test-kit's {@link dev.meterbill.testkit.BulkTenants}.
 */
final class BenchmarkData {

    private BenchmarkData() {}

    /** A plan pricing {@code metrics} metrics, cycling through per-unit, graduated, volume, package and max-based charges. */
    static UUID seedPlan(Connection connection, String name, int metrics) throws SQLException {
        List<ChargeDefinition> charges = new ArrayList<>();
        for (int i = 1; i <= metrics; i++) {
            UUID id = UUID.randomUUID();
            charges.add(switch ((i - 1) % 5) {
                case 0 -> new PerUnitChargeDefinition(id, metric(i), Aggregation.SUM, new BigDecimal("0.00125"),
                        new BigDecimal("1000"));
                case 1 -> new GraduatedChargeDefinition(id, metric(i), Aggregation.SUM, BigDecimal.ZERO,
                        List.of(new Tier(new BigDecimal("10000"), BigDecimal.ZERO, 0),
                        new Tier(new BigDecimal("100000"), new BigDecimal("0.01"), 9_900),
                        new Tier(null, new BigDecimal("0.005"), 0)));
                case 2 -> new VolumeChargeDefinition(id, metric(i), Aggregation.COUNT, BigDecimal.ZERO,
                        List.of(new Tier(new BigDecimal("100"), new BigDecimal("1"), 0),
                        new Tier(null, new BigDecimal("0.75"), 0)));
                case 3 -> new PackageChargeDefinition(id, metric(i), Aggregation.SUM, new BigDecimal("49"),
                        new BigDecimal("1000"), BigDecimal.ZERO);
                default -> new PerUnitChargeDefinition(id, metric(i), Aggregation.MAX, new BigDecimal("299"),
                        new BigDecimal("2"));
            });
        }
        UUID planId = UUID.randomUUID();
        new PricingPlanRepository().insert(connection, planId, name, 1,
                new PlanDefinition(name, "INR", 500_000, PricingScope.PROJECT, charges));
        return planId;
    }
}
