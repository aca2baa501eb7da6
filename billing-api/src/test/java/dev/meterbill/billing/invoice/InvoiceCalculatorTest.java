package dev.meterbill.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterbill.billing.error.UnpriceableInvoiceException;
import dev.meterbill.billing.period.ServiceDays;
import dev.meterbill.billing.plan.PricingPlan;
import dev.meterbill.billing.pricing.Aggregation;
import dev.meterbill.billing.pricing.ChargeDefinition;
import dev.meterbill.billing.pricing.ChargeFactory;
import dev.meterbill.billing.pricing.Discount;
import dev.meterbill.billing.pricing.FlatChargeDefinition;
import dev.meterbill.billing.pricing.GraduatedChargeDefinition;
import dev.meterbill.billing.pricing.PackageChargeDefinition;
import dev.meterbill.billing.pricing.PerUnitChargeDefinition;
import dev.meterbill.billing.pricing.PricingScope;
import dev.meterbill.billing.pricing.GstCalculator;
import dev.meterbill.billing.pricing.Tier;
import dev.meterbill.billing.pricing.UsageQuantities;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
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

    private static final YearMonth JANUARY = YearMonth.of(2026, 1);
    private static final ServiceDays WHOLE = ServiceDays.whole(JANUARY);

    private final InvoiceCalculator calculator = new InvoiceCalculator(new GstCalculator("29", new BigDecimal("18")),
            SupplierProfile.defaults());

    private static PricingPlan plan(long minimumMinor, ChargeDefinition... charges) {
        return new PricingPlan(UUID.randomUUID(), "Growth", 1, "INR", minimumMinor, PricingScope.PROJECT, Instant.now(),
                List.of(charges));
    }

    private static BillableOrganisation organisation(String stateCode) {
        return new BillableOrganisation(UUID.randomUUID(), "INR", ZoneId.of("Asia/Kolkata"), stateCode, null, "IN", null,
                null, JANUARY.atDay(1), null, null);
    }

    private static UsageRow usage(UUID project, String name, String metric, String sum) {
        return new UsageRow(project, name, metric, new UsageQuantities(new BigDecimal(sum), 1, BigDecimal.ONE,
                BigDecimal.ONE), null, true);
    }

    @Test
    void usageBelowTheCommitmentIsToppedUpAndTaxedWithinTheState() {
        InvoiceDraft draft = calculator.calculate(organisation("29"), plan(500_000, API_CALLS, PLATFORM), List.of(
                usage(BETA, "Beta", "api_calls", "12346"),          // 11346 x 0.00125 = 14.1825 -> 14.18
                usage(ALPHA, "Alpha", "api_calls", "1001000"),      // 1000000 x 0.00125 = 1250.00
                usage(ALPHA, "Alpha", "unpriced_metric", "5")), List.of(), WHOLE);

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
                usage(ALPHA, "Alpha", "api_calls", "1001000")), List.of(), WHOLE);

        assertThat(draft.lines()).extracting(InvoiceLine::type).containsExactly(LineType.USAGE, LineType.FLAT);
        assertThat(draft.subtotalMinor()).isEqualTo(224_900L);        // 1250.00 + 999.00
        assertThat(draft.tax().igstMinor()).isEqualTo(40_482L);       // 18% of 2249.00 = 404.82
        assertThat(draft.tax().cgstMinor() + draft.tax().sgstMinor()).isZero();
        assertThat(draft.totalMinor()).isEqualTo(265_382L);
    }

    @Test
    void noUsageAndNoFeesIsAnEmptyInvoiceOfZero() {
        InvoiceDraft draft = calculator.calculate(organisation("29"), plan(0, API_CALLS), List.of(), List.of(), WHOLE);

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
                usage(ALPHA, "Alpha", "api_calls", "5001000")), List.of(late), WHOLE);   // 6250.00, above the commitment

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
                List.of(new LateAdjustment(ALPHA, "Alpha", YearMonth.of(2026, 1), charge, before, after, 1)), WHOLE);

        assertThat(draft.lines()).extracting(InvoiceLine::type, InvoiceLine::amountMinor).containsExactly(
                org.assertj.core.groups.Tuple.tuple(LineType.MINIMUM_COMMITMENT, 500_000L),
                org.assertj.core.groups.Tuple.tuple(LineType.ADJUSTMENT, 100_000L));   // 800000 x 0.00125
    }

    @Test
    void usageThatPricesBeyondALongOfPaiseIsUnpriceableNamingTheLine() {
        // (10^25 - 1000) x 0.00125 INR = 1.25 x 10^22 INR: no 64-bit integer of paise holds it
        assertThatThrownBy(() -> calculator.calculate(organisation("29"), plan(0, API_CALLS), List.of(
                usage(ALPHA, "Alpha", "api_calls", "10000000000000000000000000")), List.of(), WHOLE))
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
                List.of(), WHOLE))
                .isInstanceOf(UnpriceableInvoiceException.class)
                .hasMessageContaining("sum of the period's charges exceeds the largest amount");
    }

    @Test
    void aQuantityWiderThanItsColumnIsUnpriceable() {
        // 10^37 units in packages of 10^-12 are 10^49 packages: more than NUMERIC(50,12) holds
        ChargeDefinition free = new PackageChargeDefinition(UUID.randomUUID(), "api_calls", Aggregation.SUM,
                BigDecimal.ZERO, new BigDecimal("0.000000000001"), BigDecimal.ZERO);
        assertThatThrownBy(() -> calculator.calculate(organisation("29"), plan(0, free), List.of(
                usage(ALPHA, "Alpha", "api_calls", "1" + "0".repeat(37))), List.of(), WHOLE))
                .isInstanceOf(UnpriceableInvoiceException.class)
                .hasMessageContaining("quantity");
    }

    @Test
    void anAverageUnitPriceWiderThanItsColumnIsUnpriceable() {
        // a tier fee of 99.00 on 10^-12 units averages 9.9 x 10^13 per unit: more than NUMERIC(20,8) holds
        ChargeDefinition graduated = new GraduatedChargeDefinition(UUID.randomUUID(), "api_calls", Aggregation.SUM,
                BigDecimal.ZERO, List.of(new Tier(null, BigDecimal.ZERO, 9_900)));
        assertThatThrownBy(() -> calculator.calculate(organisation("29"), plan(0, graduated), List.of(
                usage(ALPHA, "Alpha", "api_calls", "0.000000000001")), List.of(), WHOLE))
                .isInstanceOf(UnpriceableInvoiceException.class)
                .hasMessageContaining("unit price");
    }

    @Test
    void aLargeButPriceableQuantityIsInvoiced() {
        // 10^30 free units: a quantity beyond the old NUMERIC(38,12) and an amount of zero
        ChargeDefinition free = new PerUnitChargeDefinition(UUID.randomUUID(), "api_calls", Aggregation.SUM,
                BigDecimal.ZERO, BigDecimal.ZERO);
        InvoiceDraft draft = calculator.calculate(organisation("29"), plan(0, free), List.of(
                usage(ALPHA, "Alpha", "api_calls", "1" + "0".repeat(30))), List.of(), WHOLE);

        assertThat(draft.lines()).singleElement().satisfies(line -> {
            assertThat(line.quantity()).isEqualByComparingTo("1" + "0".repeat(30));
            assertThat(line.amountMinor()).isZero();
        });
        assertThat(draft.totalMinor()).isZero();
    }

    private static final UUID GAMMA = UUID.fromString("00000000-0000-0000-0000-00000000000c");

    private static PricingPlan organisationPlan(long minimumMinor, ChargeDefinition... charges) {
        return new PricingPlan(UUID.randomUUID(), "Growth", 1, "INR", minimumMinor, PricingScope.ORGANISATION,
                Instant.now(), List.of(charges));
    }

    private static UsageRow gauge(UUID project, String name, String metric, long count, String max, String latest,
                                  String latestAt) {
        return new UsageRow(project, name, metric, new UsageQuantities(new BigDecimal(max).multiply(
                BigDecimal.valueOf(count)), count, new BigDecimal(max), new BigDecimal(latest)),
                Instant.parse(latestAt), true);
    }

    @Test
    void tiersAndFreeUnitsApplyOnceToTheUsageOfAllProjects() {
        // up to 1,000 free, then 0.50 up to 10,000, then 0.20
        ChargeDefinition graduated = new GraduatedChargeDefinition(UUID.randomUUID(), "api_calls", Aggregation.SUM,
                BigDecimal.ZERO, List.of(new Tier(new BigDecimal("1000"), BigDecimal.ZERO, 0),
                new Tier(new BigDecimal("10000"), new BigDecimal("0.50"), 0), new Tier(null, new BigDecimal("0.20"), 0)));
        InvoiceDraft draft = calculator.calculate(organisation("29"), organisationPlan(0, graduated), List.of(
                usage(GAMMA, "dev", "api_calls", "2500"),
                usage(ALPHA, "production", "api_calls", "6000"),
                usage(BETA, "staging", "api_calls", "3000")), List.of(), WHOLE);

        // 11,500 calls: 1,000 x 0 + 9,000 x 0.50 + 1,500 x 0.20 = 4,800.00 (per project it would be
        // 2,500.00 + 1,000.00 + 750.00 = 4,250.00: three free allowances and three first tiers)
        assertThat(draft.lines()).singleElement().satisfies(line -> {
            assertThat(line.projectId()).isNull();
            assertThat(line.quantity()).isEqualByComparingTo("11500");
            assertThat(line.amountMinor()).isEqualTo(480_000L);
            assertThat(line.description()).startsWith("api_calls · 3 projects — ");
            assertThat(line.breakdown()).extracting(InvoiceLine.ProjectQuantity::projectName,
                    p -> p.quantity().toPlainString()).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("dev", "2500"),
                    org.assertj.core.groups.Tuple.tuple("production", "6000"),
                    org.assertj.core.groups.Tuple.tuple("staging", "3000"));
        });
        assertThat(draft.tax().cgstMinor()).isEqualTo(43_200L);      // 9% of 4,800.00
        assertThat(draft.tax().sgstMinor()).isEqualTo(43_200L);
        assertThat(draft.totalMinor()).isEqualTo(566_400L);
    }

    @Test
    void freeUnitsPerOrganisationAreDeductedOnceNotPerProject() {
        // API_CALLS: 1,000 free, 0.00125 each. 900 + 800 + 700 = 2,400 calls: 1,400 billed = 1.75
        InvoiceDraft draft = calculator.calculate(organisation("27"), organisationPlan(0, API_CALLS), List.of(
                usage(ALPHA, "a", "api_calls", "900"), usage(BETA, "b", "api_calls", "800"),
                usage(GAMMA, "c", "api_calls", "700")), List.of(), WHOLE);

        assertThat(draft.subtotalMinor()).isEqualTo(175L);
        assertThat(draft.tax().igstMinor()).isEqualTo(32L);           // 18% of 1.75 = 0.315 -> 0.32
    }

    @Test
    void peaksAndLatestValuesOfAllProjectsAreThoseOfOneStream() {
        ChargeDefinition seats = new PerUnitChargeDefinition(UUID.randomUUID(), "seats", Aggregation.MAX,
                new BigDecimal("100"), BigDecimal.ZERO);
        ChargeDefinition storage = new PerUnitChargeDefinition(UUID.randomUUID(), "storage_gb", Aggregation.LATEST,
                new BigDecimal("2"), BigDecimal.ZERO);
        InvoiceDraft draft = calculator.calculate(organisation("29"), organisationPlan(0, seats, storage), List.of(
                gauge(ALPHA, "a", "seats", 3, "5", "4", "2026-01-20T10:00:00Z"),
                gauge(BETA, "b", "seats", 2, "8", "1", "2026-01-25T10:00:00Z"),
                gauge(GAMMA, "c", "seats", 4, "3", "3", "2026-01-10T10:00:00Z"),
                gauge(ALPHA, "a", "storage_gb", 2, "70", "60", "2026-01-31T12:00:00Z"),
                gauge(BETA, "b", "storage_gb", 5, "90", "40", "2026-01-31T18:00:00Z")), List.of(), WHOLE);

        // the peak of all seats events is 8: 800.00; the last storage report of all is b's 40 GB: 80.00
        assertThat(draft.lines()).extracting(InvoiceLine::metricName, InvoiceLine::amountMinor).containsExactly(
                org.assertj.core.groups.Tuple.tuple("seats", 80_000L),
                org.assertj.core.groups.Tuple.tuple("storage_gb", 8_000L));
    }

    @Test
    void aSubscriptionEndedMidMonthProratesFeesAndTheCommitmentByDays() {
        ServiceDays fifteenDays = ServiceDays.of(JANUARY, LocalDate.parse("2025-06-01"), LocalDate.parse("2026-01-16"),
                null);
        InvoiceDraft draft = calculator.calculate(organisation("29"), plan(500_000, API_CALLS, PLATFORM), List.of(
                usage(ALPHA, "Alpha", "api_calls", "101000")), List.of(), fifteenDays);

        assertThat(draft.lines()).extracting(InvoiceLine::type, InvoiceLine::amountMinor).containsExactly(
                org.assertj.core.groups.Tuple.tuple(LineType.USAGE, 12_500L),               // 100,000 x 0.00125
                org.assertj.core.groups.Tuple.tuple(LineType.FLAT, 48_339L),                // 999.00 x 15/31 = 483.387
                // 5,000.00 x 15/31 = 2,419.354 -> 2,419.35; minus 125.00 and 483.39
                org.assertj.core.groups.Tuple.tuple(LineType.MINIMUM_COMMITMENT, 181_096L));
        assertThat(draft.lines().get(1).description()).contains("prorated for 15 of 31 days (2026-01-01 to 2026-01-15)");
        assertThat(draft.subtotalMinor()).isEqualTo(241_935L);
        assertThat(draft.tax().cgstMinor()).isEqualTo(21_774L);      // 18% of 2,419.35 = 435.483 -> 435.48, halved
        assertThat(draft.tax().sgstMinor()).isEqualTo(21_774L);
        assertThat(draft.totalMinor()).isEqualTo(285_483L);
    }

    @Test
    void discountsComeOffBeforeGstEachAsItsOwnNegativeLine() {
        List<Discount> discounts = List.of(
                new Discount(UUID.randomUUID(), "10% off for 3 months", Discount.Kind.PERCENT, new BigDecimal("10"), 0),
                new Discount(UUID.randomUUID(), "500.00 off", Discount.Kind.FIXED, null, 50_000));
        InvoiceDraft draft = calculator.calculate(organisation("27"), plan(0, API_CALLS, PLATFORM), List.of(
                usage(ALPHA, "Alpha", "api_calls", "801000")), List.of(), WHOLE, discounts);

        // 1,000.00 usage + 999.00 flat = 1,999.00; 10% = 199.90; then 500.00 of the 1,799.10 left
        assertThat(draft.lines()).extracting(InvoiceLine::type, InvoiceLine::amountMinor).containsExactly(
                org.assertj.core.groups.Tuple.tuple(LineType.USAGE, 100_000L),
                org.assertj.core.groups.Tuple.tuple(LineType.FLAT, 99_900L),
                org.assertj.core.groups.Tuple.tuple(LineType.DISCOUNT, -19_990L),
                org.assertj.core.groups.Tuple.tuple(LineType.DISCOUNT, -50_000L));
        assertThat(draft.subtotalMinor()).isEqualTo(129_910L);
        assertThat(draft.tax().igstMinor()).isEqualTo(23_384L);      // 18% of 1,299.10 = 233.838 -> 233.84
        assertThat(draft.totalMinor()).isEqualTo(153_294L);
    }

    @Test
    void aDiscountNeverTakesAnInvoiceBelowZero() {
        List<Discount> discounts = List.of(
                new Discount(UUID.randomUUID(), "5,000.00 off", Discount.Kind.FIXED, null, 500_000),
                new Discount(UUID.randomUUID(), "15% off", Discount.Kind.PERCENT, new BigDecimal("15"), 0));
        InvoiceDraft draft = calculator.calculate(organisation("29"), plan(0, PLATFORM), List.of(), List.of(), WHOLE,
                discounts);

        assertThat(draft.lines()).extracting(InvoiceLine::amountMinor).containsExactly(99_900L, -99_900L);
        assertThat(draft.totalMinor()).isZero();
    }

    @Test
    void aPercentageDiscountRoundsHalfUpToThePaisa() {
        // 999.00 x 12.5% = 124.875 -> 124.88
        List<Discount> discounts = List.of(
                new Discount(UUID.randomUUID(), "12.5% off", Discount.Kind.PERCENT, new BigDecimal("12.5"), 0));
        InvoiceDraft draft = calculator.calculate(organisation("29"), plan(0, PLATFORM), List.of(), List.of(), WHOLE,
                discounts);

        assertThat(draft.lines().get(1).amountMinor()).isEqualTo(-12_488L);
        assertThat(draft.subtotalMinor()).isEqualTo(87_412L);
        // 18% of 874.12 = 157.3416 -> 157.34, halved
        assertThat(draft.tax().cgstMinor()).isEqualTo(7_867L);
        assertThat(draft.tax().sgstMinor()).isEqualTo(7_867L);
    }

    @Test
    void lateUsageThatLowersAnEarlierPeriodIsACorrectionNotANegativeLine() {
        ChargeDefinition storage = new PerUnitChargeDefinition(UUID.randomUUID(), "storage_gb", Aggregation.LATEST,
                new BigDecimal("2"), BigDecimal.ZERO);
        var charge = ChargeFactory.create(storage, "INR");
        // billed at 100 GB (200.00); a later report of January says 40 GB (80.00)
        UsageQuantities billed = new UsageQuantities(new BigDecimal("100"), 1, new BigDecimal("100"), new BigDecimal("100"));
        UsageQuantities withLate = new UsageQuantities(new BigDecimal("140"), 2, new BigDecimal("100"), new BigDecimal("40"));
        LateAdjustment late = new LateAdjustment(ALPHA, "Alpha", JANUARY, charge, billed, withLate, 1);

        InvoiceDraft draft = calculator.calculate(organisation("29"), plan(0, storage), List.of(), List.of(late), WHOLE);

        assertThat(draft.lines()).singleElement().satisfies(line -> assertThat(line.amountMinor()).isZero());
        assertThat(draft.corrections()).singleElement().satisfies(correction -> {
            assertThat(correction.period()).isEqualTo(JANUARY);
            assertThat(correction.amountMinor()).isEqualTo(12_000L);      // 200.00 - 80.00
            assertThat(correction.description()).isEqualTo("Late usage lowered storage_gb · Alpha of 2026-01");
        });
        assertThat(draft.totalMinor()).isZero();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "to {0}, LUT until {1}: {2}, IGST {3}")
    @org.junit.jupiter.params.provider.CsvSource(nullValues = "-", value = {
            // an export under an LUT covering January 2026 (FY 2025-26): zero-rated, no IGST
            "US, 2026-03-31, EXPORT_UNDER_LUT, 0",
            // the LUT ran out before the supply: IGST, 18% of 999.00 = 179.82
            "US, 2025-03-31, EXPORT_WITH_IGST, 17982",
            // no LUT at all
            "GB, -,          EXPORT_WITH_IGST, 17982",
    })
    void anExportIsZeroRatedOnlyUnderALetterOfUndertaking(String country, String lutUntil, String supply, long igst) {
        SupplierProfile supplier = new SupplierProfile("Meterbill Cloud Services Private Limited", null, "1 Road",
                "Bengaluru", "560001", null, lutUntil == null ? null : "AD290326000123X",
                lutUntil == null ? null : LocalDate.parse(lutUntil), "998315", "billing@meterbill.example", null, null,
                null, null);
        InvoiceCalculator exporter = new InvoiceCalculator(new GstCalculator("29", new BigDecimal("18")), supplier);
        BillableOrganisation abroad = new BillableOrganisation(UUID.randomUUID(), "INR", ZoneId.of("UTC"), null, null,
                country, null, null, JANUARY.atDay(1), null, null);

        InvoiceDraft draft = exporter.calculate(abroad, plan(0, PLATFORM), List.of(), List.of(), WHOLE);

        assertThat(draft.tax().supply().name()).isEqualTo(supply);
        assertThat(draft.tax().igstMinor()).isEqualTo(igst);
        assertThat(draft.tax().cgstMinor() + draft.tax().sgstMinor()).isZero();
        assertThat(draft.lutReference()).isEqualTo(igst == 0 ? "AD290326000123X" : null);
    }
}
