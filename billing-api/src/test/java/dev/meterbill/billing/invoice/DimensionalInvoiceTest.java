package dev.meterbill.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.meterbill.billing.period.ServiceDays;
import dev.meterbill.billing.plan.ChargeTerms;
import dev.meterbill.billing.plan.PricingPlan;
import dev.meterbill.billing.pricing.Aggregation;
import dev.meterbill.billing.pricing.ChargeDefinition;
import dev.meterbill.billing.pricing.DimensionPrice;
import dev.meterbill.billing.pricing.GraduatedChargeDefinition;
import dev.meterbill.billing.pricing.GstCalculator;
import dev.meterbill.billing.pricing.PerUnitChargeDefinition;
import dev.meterbill.billing.pricing.PricingScope;
import dev.meterbill.billing.pricing.Tier;
import dev.meterbill.billing.pricing.UsageQuantities;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Charges on metric definitions priced per dimension, computed by hand; amounts in paise. The definition
 * {@code llm_tokens} groups tokens by model and region; {@code mau} counts distinct users.
 */
class DimensionalInvoiceTest {

    private static final UUID ALPHA = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID BETA = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    private static final YearMonth JANUARY = YearMonth.of(2026, 1);
    private static final UUID TOKENS_ID = UUID.randomUUID();
    private static final UUID MAU_ID = UUID.randomUUID();

    /** Small models and anything unnamed: 0.000001 per token. */
    private static final ChargeDefinition TOKENS = new PerUnitChargeDefinition(TOKENS_ID, "llm_tokens", Aggregation.SUM,
            new BigDecimal("0.000001"), BigDecimal.ZERO);
    /** 10.00 per monthly active user beyond the first 100. */
    private static final ChargeDefinition MAU = new PerUnitChargeDefinition(MAU_ID, "mau", Aggregation.UNIQUE_COUNT,
            new BigDecimal("10"), new BigDecimal("100"));

    /** First match wins: large in eu, then large anywhere, then medium on graduated tiers. */
    private static final List<DimensionPrice> TOKEN_PRICES = List.of(
            new DimensionPrice(Map.of("model", "large", "region", "eu"), new PerUnitChargeDefinition(TOKENS_ID,
                    "llm_tokens", Aggregation.SUM, new BigDecimal("0.000025"), BigDecimal.ZERO)),
            new DimensionPrice(Map.of("model", "large"), new PerUnitChargeDefinition(TOKENS_ID, "llm_tokens",
                    Aggregation.SUM, new BigDecimal("0.00002"), BigDecimal.ZERO)),
            new DimensionPrice(Map.of("model", "medium"), new GraduatedChargeDefinition(TOKENS_ID, "llm_tokens",
                    Aggregation.SUM, BigDecimal.ZERO, List.of(new Tier(new BigDecimal("1000000"),
                    new BigDecimal("0.000005"), 0), new Tier(null, new BigDecimal("0.000004"), 0)))));

    private final InvoiceCalculator calculator = new InvoiceCalculator(new GstCalculator("29", new BigDecimal("18")),
            SupplierProfile.defaults());

    private static PricingPlan plan(PricingScope scope) {
        return new PricingPlan(UUID.randomUUID(), "AI", 1, "INR", 0, scope, Instant.now(), List.of(TOKENS, MAU),
                Map.of(TOKENS_ID, new ChargeTerms(null, null, null, "llm_tokens", TOKEN_PRICES),
                        MAU_ID, new ChargeTerms(null, null, null, "mau", List.of())));
    }

    private static UsageRow row(UUID project, String name, String metric, long sum) {
        return new UsageRow(project, name, metric, new UsageQuantities(BigDecimal.valueOf(sum), sum,
                BigDecimal.ONE, BigDecimal.ONE), null, true);
    }

    private static final List<UsageRow> USAGE = List.of(
            row(ALPHA, "Alpha", "llm_tokens{model=large,region=eu}", 100_000),
            row(ALPHA, "Alpha", "llm_tokens{model=large,region=in}", 300_000),
            row(BETA, "Beta", "llm_tokens{model=large,region=in}", 200_000),
            row(ALPHA, "Alpha", "llm_tokens{model=medium,region=in}", 1_500_000),
            row(BETA, "Beta", "llm_tokens{model=small,region=eu}", 2_345_678),
            row(ALPHA, "Alpha", "tokens", 4_445_678),           // the plain metric: no charge prices it
            row(ALPHA, "Alpha", "mau{}", 20_000));

    private static BillableOrganisation organisation() {
        return new BillableOrganisation(UUID.randomUUID(), "INR", ZoneId.of("Asia/Kolkata"), "29", null, "IN", null,
                null, JANUARY.atDay(1), null, null);
    }

    @Test
    void anOrganisationPlanHasOneLinePerGroupPricedByTheFirstMatchingDimension() {
        InvoiceDraft draft = calculator.calculate(organisation(), plan(PricingScope.ORGANISATION), USAGE, List.of(),
                ServiceDays.whole(JANUARY));

        assertThat(draft.lines()).extracting(InvoiceLine::metricName, InvoiceLine::quantity, InvoiceLine::amountMinor)
                .containsExactly(
                        // 100,000 x 0.000025 = 2.50
                        tuple("llm_tokens{model=large,region=eu}", new BigDecimal("100000"), 250L),
                        // (300,000 + 200,000) x 0.00002 = 10.00
                        tuple("llm_tokens{model=large,region=in}", new BigDecimal("500000"), 1_000L),
                        // 1,000,000 x 0.000005 + 500,000 x 0.000004 = 5.00 + 2.00
                        tuple("llm_tokens{model=medium,region=in}", new BigDecimal("1500000"), 700L),
                        // no dimension price: the charge's own, 2,345,678 x 0.000001 = 2.345678 -> 2.35
                        tuple("llm_tokens{model=small,region=eu}", new BigDecimal("2345678"), 235L),
                        // (20,000 - 100 free) x 10.00 = 199,000.00
                        tuple("mau{}", new BigDecimal("19900"), 19_900_000L));
        assertThat(draft.lines()).allMatch(l -> l.type() == LineType.USAGE);
        assertThat(draft.lines().get(0).description()).startsWith("llm_tokens · model=large, region=eu · Alpha — ");
        assertThat(draft.lines().get(1).description()).startsWith("llm_tokens · model=large, region=in · 2 projects — ");
        assertThat(draft.lines().get(1).breakdown()).extracting(InvoiceLine.ProjectQuantity::quantity)
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("300000"), new BigDecimal("200000"));
        assertThat(draft.lines().get(4).description()).startsWith("mau · Alpha — ");
        assertThat(draft.lines()).extracting(InvoiceLine::chargeId)
                .containsExactly(TOKENS_ID, TOKENS_ID, TOKENS_ID, TOKENS_ID, MAU_ID);
        assertThat(draft.subtotalMinor()).isEqualTo(250L + 1_000 + 700 + 235 + 19_900_000);
    }

    @Test
    void aProjectPlanPricesEachProjectsGroupsOnTheirOwn() {
        InvoiceDraft draft = calculator.calculate(organisation(), plan(PricingScope.PROJECT), USAGE, List.of(),
                ServiceDays.whole(JANUARY));

        assertThat(draft.lines()).extracting(InvoiceLine::projectId, InvoiceLine::metricName, InvoiceLine::amountMinor)
                .containsExactly(
                        tuple(ALPHA, "llm_tokens{model=large,region=eu}", 250L),
                        tuple(ALPHA, "llm_tokens{model=large,region=in}", 600L),     // 300,000 x 0.00002
                        tuple(ALPHA, "llm_tokens{model=medium,region=in}", 700L),
                        tuple(ALPHA, "mau{}", 19_900_000L),
                        tuple(BETA, "llm_tokens{model=large,region=in}", 400L),      // 200,000 x 0.00002
                        tuple(BETA, "llm_tokens{model=small,region=eu}", 235L));
        assertThat(draft.lines().get(4).description()).startsWith("llm_tokens · model=large, region=in · Beta — ");
    }

    @Test
    void lateUsageOfAGroupIsPricedByItsDimension() {
        PricingPlan plan = plan(PricingScope.PROJECT);
        String medium = "llm_tokens{model=medium,region=in}";
        UsageQuantities billed = new UsageQuantities(new BigDecimal("1500000"), 1_500_000, BigDecimal.ONE, BigDecimal.ONE);
        UsageQuantities withLate = new UsageQuantities(new BigDecimal("1600000"), 1_500_001, BigDecimal.ONE, BigDecimal.ONE);
        LateAdjustment late = new LateAdjustment(ALPHA, "Alpha", JANUARY, plan.chargeFor(medium).orElseThrow(), billed,
                withLate, 1, null, medium);

        InvoiceDraft draft = calculator.calculate(organisation(), plan, List.of(), List.of(late),
                ServiceDays.whole(JANUARY.plusMonths(1)));

        // owed 5.00 + 600,000 x 0.000004 = 7.40, billed 7.00: 0.40 more
        assertThat(draft.lines()).extracting(InvoiceLine::type, InvoiceLine::metricName, InvoiceLine::amountMinor)
                .containsExactly(tuple(LineType.ADJUSTMENT, medium, 40L));
        assertThat(draft.lines().get(0).description())
                .isEqualTo("Late usage of 2026-01: llm_tokens · model=medium, region=in · Alpha (1 event)");
    }

    @Test
    void theChargeForAUsageRowIsTheOneOnItsMetricOrItsDefinition() {
        PricingPlan plan = plan(PricingScope.ORGANISATION);
        assertThat(plan.chargeFor("llm_tokens{model=large,region=us}").orElseThrow().definition())
                .isEqualTo(TOKEN_PRICES.get(1).definition());
        assertThat(plan.chargeFor("llm_tokens{model=tiny,region=us}").orElseThrow().definition()).isEqualTo(TOKENS);
        assertThat(plan.chargeFor("llm_tokens")).isEmpty();
        assertThat(plan.chargeFor("tokens{model=large}")).isEmpty();
        assertThat(plan.chargeFor("mau{}").orElseThrow().definition()).isEqualTo(MAU);
    }
}
