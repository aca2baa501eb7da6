package dev.meterbill.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterbill.billing.error.UnpriceableInvoiceException;
import dev.meterbill.billing.plan.PricingPlan;
import dev.meterbill.billing.pricing.Aggregation;
import dev.meterbill.billing.pricing.ChargeDefinition;
import dev.meterbill.billing.pricing.ChargeFactory;
import dev.meterbill.billing.pricing.FlatChargeDefinition;
import dev.meterbill.billing.pricing.GraduatedChargeDefinition;
import dev.meterbill.billing.pricing.PackageChargeDefinition;
import dev.meterbill.billing.pricing.PerUnitChargeDefinition;
import dev.meterbill.billing.pricing.GstCalculator;
import dev.meterbill.billing.pricing.Tier;
import dev.meterbill.billing.pricing.UsageQuantities;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Whole invoices computed by hand; amounts in paise, supplier in Karnataka (29), GST 18%. */
class InvoiceCalculatorTest {

    private static final UUID ALPHA = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID BETA = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    private static final ChargeDefinition API_CALLS = new PerUnitChargeDefinition(UUID.randomUUID(), "api_calls",
            Aggregation.SUM, new BigDecimal("0.00125"), new BigDecimal("1000"));
    private static final ChargeDefinition PLATFORM = new FlatChargeDefinition(UUID.randomUUID(), "platform",
            Aggregation.SUM, 99_900L);

    private final InvoiceCalculator calculator = new InvoiceCalculator(new GstCalculator("29", new BigDecimal("18")));

    private static PricingPlan plan(long minimumMinor, ChargeDefinition... charges) {
        return new PricingPlan(UUID.randomUUID(), "Growth", 1, "INR", minimumMinor, Instant.now(), List.of(charges));
    }

    private static BillableOrganisation organisation(String stateCode) {
        return new BillableOrganisation(UUID.randomUUID(), "INR", ZoneId.of("Asia/Kolkata"), stateCode, null, null);
    }

    private static UsageRow usage(UUID project, String name, String metric, String sum) {
        return new UsageRow(project, name, metric, new UsageQuantities(new BigDecimal(sum), 1, BigDecimal.ONE,
                BigDecimal.ONE), true);
    }

    @Test
    void usageBelowTheCommitmentIsToppedUpAndTaxedWithinTheState() {
        InvoiceDraft draft = calculator.calculate(organisation("29"), plan(500_000, API_CALLS, PLATFORM), List.of(
                usage(BETA, "Beta", "api_calls", "12346"),          // 11346 x 0.00125 = 14.1825 -> 14.18
                usage(ALPHA, "Alpha", "api_calls", "1001000"),      // 1000000 x 0.00125 = 1250.00
                usage(ALPHA, "Alpha", "unpriced_metric", "5")), List.of());

        assertThat(draft.lines()).extracting(InvoiceLine::type, InvoiceLine::projectId, InvoiceLine::amountMinor)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LineType.USAGE, ALPHA, 125_000L),
                        org.assertj.core.groups.Tuple.tuple(LineType.USAGE, BETA, 1_418L),
                        org.assertj.core.groups.Tuple.tuple(LineType.FLAT, null, 99_900L),
                        // 5000.00 - (1250.00 + 14.18 + 999.00) = 2736.82
                        org.assertj.core.groups.Tuple.tuple(LineType.MINIMUM_COMMITMENT, null, 273_682L));
        assertThat(draft.lines().get(0).quantity()).isEqualByComparingTo("1000000");
        assertThat(draft.lines().get(0).unitPrice()).isEqualByComparingTo("0.00125");
        assertThat(draft.lines().get(0).description()).startsWith("api_calls · Alpha — ");
        assertThat(draft.subtotalMinor()).isEqualTo(500_000L);
        assertThat(draft.tax().cgstMinor()).isEqualTo(45_000L);
        assertThat(draft.tax().sgstMinor()).isEqualTo(45_000L);
        assertThat(draft.tax().igstMinor()).isZero();
        assertThat(draft.totalMinor()).isEqualTo(590_000L);
    }

    @Test
    void usageAboveTheCommitmentNeedsNoTopUpAndOtherStatesPayIgst() {
        InvoiceDraft draft = calculator.calculate(organisation("27"), plan(100_000, API_CALLS, PLATFORM), List.of(
                usage(ALPHA, "Alpha", "api_calls", "1001000")), List.of());

        assertThat(draft.lines()).extracting(InvoiceLine::type).containsExactly(LineType.USAGE, LineType.FLAT);
        assertThat(draft.subtotalMinor()).isEqualTo(224_900L);        // 1250.00 + 999.00
        assertThat(draft.tax().igstMinor()).isEqualTo(40_482L);       // 18% of 2249.00 = 404.82
        assertThat(draft.tax().cgstMinor() + draft.tax().sgstMinor()).isZero();
        assertThat(draft.totalMinor()).isEqualTo(265_382L);
    }

    @Test
    void noUsageAndNoFeesIsAnEmptyInvoiceOfZero() {
        InvoiceDraft draft = calculator.calculate(organisation("29"), plan(0, API_CALLS), List.of(), List.of());

        assertThat(draft.lines()).isEmpty();
        assertThat(draft.totalMinor()).isZero();
    }

    @Test
    void lateUsageIsBilledAsTheDifferenceItMakesToTheEarlierPeriod() {
        var charge = ChargeFactory.create(API_CALLS, "INR");
        UsageQuantities billed = new UsageQuantities(new BigDecimal("1001000"), 10, BigDecimal.ONE, BigDecimal.ONE);
        UsageQuantities withLate = new UsageQuantities(new BigDecimal("1003000"), 12, BigDecimal.ONE, BigDecimal.ONE);
        LateAdjustment late = new LateAdjustment(ALPHA, "Alpha", YearMonth.of(2026, 1), charge, billed, withLate, 2);

        InvoiceDraft draft = calculator.calculate(organisation("29"), plan(500_000, API_CALLS), List.of(
                usage(ALPHA, "Alpha", "api_calls", "5001000")), List.of(late));   // 6250.00, above the commitment

        InvoiceLine adjustment = draft.lines().get(1);
        assertThat(adjustment.type()).isEqualTo(LineType.ADJUSTMENT);
        assertThat(adjustment.adjustmentPeriod()).isEqualTo(YearMonth.of(2026, 1));
        assertThat(adjustment.quantity()).isEqualByComparingTo("2000");
        assertThat(adjustment.amountMinor()).isEqualTo(250L);            // 1252.50 - 1250.00
        assertThat(adjustment.unitPrice()).isEqualByComparingTo("0.00125");
        assertThat(adjustment.description()).isEqualTo("Late usage of 2026-01: api_calls · Alpha (2 events)");
        assertThat(draft.subtotalMinor()).isEqualTo(625_250L);
    }

    @Test
    void adjustmentsDoNotCountTowardsThisPeriodsCommitment() {
        var charge = ChargeFactory.create(API_CALLS, "INR");
        UsageQuantities before = new UsageQuantities(new BigDecimal("1000"), 1, BigDecimal.ONE, BigDecimal.ONE);
        UsageQuantities after = new UsageQuantities(new BigDecimal("801000"), 2, BigDecimal.ONE, BigDecimal.ONE);

        InvoiceDraft draft = calculator.calculate(organisation("29"), plan(500_000, API_CALLS), List.of(),
                List.of(new LateAdjustment(ALPHA, "Alpha", YearMonth.of(2026, 1), charge, before, after, 1)));

        assertThat(draft.lines()).extracting(InvoiceLine::type, InvoiceLine::amountMinor).containsExactly(
                org.assertj.core.groups.Tuple.tuple(LineType.MINIMUM_COMMITMENT, 500_000L),
                org.assertj.core.groups.Tuple.tuple(LineType.ADJUSTMENT, 100_000L));   // 800000 x 0.00125
    }

    @Test
    void usageThatPricesBeyondALongOfPaiseIsUnpriceableNamingTheLine() {
        // (10^25 - 1000) x 0.00125 INR = 1.25 x 10^22 INR: no 64-bit integer of paise holds it
        assertThatThrownBy(() -> calculator.calculate(organisation("29"), plan(0, API_CALLS), List.of(
                usage(ALPHA, "Alpha", "api_calls", "10000000000000000000000000")), List.of()))
                .isInstanceOf(UnpriceableInvoiceException.class)
                .hasMessageContaining("api_calls · Alpha")
                .hasMessageContaining("exceeds the largest amount");
    }

    @Test
    void linesThatFitOneByOneButNotTogetherAreUnpriceable() {
        // two lines of 5 x 10^18 paise each: their subtotal overflows a long
        ChargeDefinition dear = new PerUnitChargeDefinition(UUID.randomUUID(), "api_calls", Aggregation.SUM,
                new BigDecimal("50000000"), BigDecimal.ZERO);
        assertThatThrownBy(() -> calculator.calculate(organisation("29"), plan(0, dear), List.of(
                usage(ALPHA, "Alpha", "api_calls", "1000000000"), usage(BETA, "Beta", "api_calls", "1000000000")),
                List.of()))
                .isInstanceOf(UnpriceableInvoiceException.class)
                .hasMessageContaining("sum of the period's charges exceeds the largest amount");
    }

    @Test
    void aQuantityWiderThanItsColumnIsUnpriceable() {
        // 10^37 units in packages of 10^-12 are 10^49 packages: more than NUMERIC(50,12) holds
        ChargeDefinition free = new PackageChargeDefinition(UUID.randomUUID(), "api_calls", Aggregation.SUM,
                BigDecimal.ZERO, new BigDecimal("0.000000000001"), BigDecimal.ZERO);
        assertThatThrownBy(() -> calculator.calculate(organisation("29"), plan(0, free), List.of(
                usage(ALPHA, "Alpha", "api_calls", "1" + "0".repeat(37))), List.of()))
                .isInstanceOf(UnpriceableInvoiceException.class)
                .hasMessageContaining("quantity");
    }

    @Test
    void anAverageUnitPriceWiderThanItsColumnIsUnpriceable() {
        // a tier fee of 99.00 on 10^-12 units averages 9.9 x 10^13 per unit: more than NUMERIC(20,8) holds
        ChargeDefinition graduated = new GraduatedChargeDefinition(UUID.randomUUID(), "api_calls", Aggregation.SUM,
                BigDecimal.ZERO, List.of(new Tier(null, BigDecimal.ZERO, 9_900)));
        assertThatThrownBy(() -> calculator.calculate(organisation("29"), plan(0, graduated), List.of(
                usage(ALPHA, "Alpha", "api_calls", "0.000000000001")), List.of()))
                .isInstanceOf(UnpriceableInvoiceException.class)
                .hasMessageContaining("unit price");
    }

    @Test
    void aLargeButPriceableQuantityIsInvoiced() {
        // 10^30 free units: a quantity beyond the old NUMERIC(38,12) and an amount of zero
        ChargeDefinition free = new PerUnitChargeDefinition(UUID.randomUUID(), "api_calls", Aggregation.SUM,
                BigDecimal.ZERO, BigDecimal.ZERO);
        InvoiceDraft draft = calculator.calculate(organisation("29"), plan(0, free), List.of(
                usage(ALPHA, "Alpha", "api_calls", "1" + "0".repeat(30))), List.of());

        assertThat(draft.lines()).singleElement().satisfies(line -> {
            assertThat(line.quantity()).isEqualByComparingTo("1" + "0".repeat(30));
            assertThat(line.amountMinor()).isZero();
        });
        assertThat(draft.totalMinor()).isZero();
    }
}
