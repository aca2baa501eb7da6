package dev.meterbill.billing.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every charge model priced by hand; amounts are INR paise after the one HALF_UP rounding per line. */
class ChargeModelsTest {

    private static final List<Tier> FREE_THEN_HALF_THEN_QUARTER = List.of(
            new Tier(dec("1000"), dec("0"), 0),
            new Tier(dec("10000"), dec("0.50"), 0),
            new Tier(null, dec("0.25"), 0));

    static ChargeDefinition perUnit(String unitPrice, String freeUnits) {
        return new PerUnitChargeDefinition(UUID.randomUUID(), "api_calls", Aggregation.SUM, dec(unitPrice),
                dec(freeUnits));
    }

    static ChargeDefinition tiered(ChargeModel model, List<Tier> tiers) {
        return model == ChargeModel.GRADUATED
                ? new GraduatedChargeDefinition(UUID.randomUUID(), "api_calls", Aggregation.SUM, BigDecimal.ZERO, tiers)
                : new VolumeChargeDefinition(UUID.randomUUID(), "api_calls", Aggregation.SUM, BigDecimal.ZERO, tiers);
    }

    static ChargeDefinition packaged(String size, String price, String freeUnits) {
        return new PackageChargeDefinition(UUID.randomUUID(), "api_calls", Aggregation.SUM, dec(price), dec(size),
                dec(freeUnits));
    }

    static ChargeDefinition flat(long feeMinor) {
        return new FlatChargeDefinition(UUID.randomUUID(), "seats", Aggregation.MAX, feeMinor);
    }

    static Stream<Arguments> pricedByHand() {
        return Stream.of(
                // rule, charge, usage, expected paise
                Arguments.of("perUnitMultipliesUsageByUnitPrice", perUnit("0.50", "0"), "1000", 50_000L),
                Arguments.of("fractionalUnitPriceRoundsOnceHalfUp", perUnit("0.00125", "0"), "12345", 1_543L),
                Arguments.of("halfAPaisaRoundsUpNotToEven", perUnit("0.00125", "0"), "1012", 127L),
                Arguments.of("fractionalQuantitiesAreExact", perUnit("0.10", "0"), "0.3", 3L),
                Arguments.of("freeUnitsCoverUsageBelowThem", perUnit("0.50", "1000"), "800", 0L),
                Arguments.of("freeUnitsAreDeductedBeforePricing", perUnit("0.50", "1000"), "1500", 25_000L),
                Arguments.of("zeroUsageCostsNothingPerUnit", perUnit("0.50", "0"), "0", 0L),

                Arguments.of("graduatedTiersChargeEachTierAtItsOwnPrice",
                        tiered(ChargeModel.GRADUATED, FREE_THEN_HALF_THEN_QUARTER), "15000", 575_000L),
                Arguments.of("volumeTiersChargeAllUnitsAtTheReachedTierPrice",
                        tiered(ChargeModel.VOLUME, FREE_THEN_HALF_THEN_QUARTER), "15000", 375_000L),
                Arguments.of("graduatedInTheMiddleTier",
                        tiered(ChargeModel.GRADUATED, FREE_THEN_HALF_THEN_QUARTER), "5000", 200_000L),
                Arguments.of("volumeInTheMiddleTier",
                        tiered(ChargeModel.VOLUME, FREE_THEN_HALF_THEN_QUARTER), "5000", 250_000L),
                Arguments.of("aTierBoundaryBelongsToTheLowerTierInVolume",
                        tiered(ChargeModel.VOLUME, FREE_THEN_HALF_THEN_QUARTER), "1000", 0L),
                Arguments.of("oneUnitPastTheBoundaryMovesEveryUnitUpInVolume",
                        tiered(ChargeModel.VOLUME, FREE_THEN_HALF_THEN_QUARTER), "1001", 50_050L),
                Arguments.of("oneUnitPastTheBoundaryCostsOneUnitInGraduated",
                        tiered(ChargeModel.GRADUATED, FREE_THEN_HALF_THEN_QUARTER), "1001", 50L),
                Arguments.of("graduatedTierFlatFeeIsChargedOnceTheTierIsReached",
                        tiered(ChargeModel.GRADUATED, List.of(new Tier(dec("1000"), dec("0"), 0),
                                new Tier(null, dec("0.50"), 10_000))), "5000", 210_000L),
                Arguments.of("volumeTierFlatFeeIsAddedToTheReachedTier",
                        tiered(ChargeModel.VOLUME, List.of(new Tier(dec("1000"), dec("0"), 5_000),
                                new Tier(null, dec("0.50"), 10_000))), "5000", 260_000L),
                Arguments.of("zeroUsageCostsNothingGraduated",
                        tiered(ChargeModel.GRADUATED, FREE_THEN_HALF_THEN_QUARTER), "0", 0L),
                Arguments.of("zeroUsageCostsNothingVolume",
                        tiered(ChargeModel.VOLUME, List.of(new Tier(null, dec("0.50"), 10_000))), "0", 0L),

                Arguments.of("packagesAreRoundedUpToWholePackages", packaged("1000", "49", "0"), "2500", 14_700L),
                Arguments.of("anExactMultipleNeedsNoExtraPackage", packaged("1000", "49", "0"), "3000", 14_700L),
                Arguments.of("oneUnitOverStartsANewPackage", packaged("1000", "49", "0"), "3001", 19_600L),
                Arguments.of("aFractionOfAPackageIsAWholePackage", packaged("1000", "49", "0"), "0.5", 4_900L),
                Arguments.of("zeroUsageBuysNoPackage", packaged("1000", "49", "0"), "0", 0L),
                Arguments.of("freeUnitsComeOffBeforePackaging", packaged("1000", "49", "100"), "1100", 4_900L),

                Arguments.of("flatFeeIsChargedWhateverTheUsage", flat(99_900), "0", 99_900L),
                Arguments.of("flatFeeIgnoresUsage", flat(99_900), "123456", 99_900L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void pricedByHand(String rule, ChargeDefinition definition, String usage, long expectedMinor) {
        PlanCharge charge = ChargeFactory.create(definition, "INR");

        assertThat(charge.price(dec(usage)).amountMinor()).as(rule).isEqualTo(expectedMinor);
    }

    @Test
    void graduatedAndVolumeDifferOnTheSameUsage() {
        PlanCharge graduated = ChargeFactory.create(tiered(ChargeModel.GRADUATED, FREE_THEN_HALF_THEN_QUARTER), "INR");
        PlanCharge volume = ChargeFactory.create(tiered(ChargeModel.VOLUME, FREE_THEN_HALF_THEN_QUARTER), "INR");

        // 1000 x 0 + 9000 x 0.50 + 5000 x 0.25 = 5750.00 against 15000 x 0.25 = 3750.00
        assertThat(graduated.price(dec("15000")).amountMinor()).isEqualTo(575_000L);
        assertThat(volume.price(dec("15000")).amountMinor()).isEqualTo(375_000L);
    }

    @Test
    void aPackageLineShowsPackagesAtThePackagePrice() {
        LineAmount line = ChargeFactory.create(packaged("1000", "49", "0"), "INR").price(dec("2500"));

        assertThat(line.quantity()).isEqualByComparingTo("3");
        assertThat(line.unitPrice()).isEqualByComparingTo("49");
        assertThat(line.amountMinor()).isEqualTo(14_700L);
    }

    @Test
    void aPerUnitLineShowsBillableUnitsAfterFreeUnits() {
        LineAmount line = ChargeFactory.create(perUnit("0.50", "1000"), "INR").price(dec("1500"));

        assertThat(line.quantity()).isEqualByComparingTo("500");
        assertThat(line.unitPrice()).isEqualByComparingTo("0.50");
    }

    @Test
    void aGraduatedLineShowsTheEffectiveAveragePrice() {
        LineAmount line = ChargeFactory.create(tiered(ChargeModel.GRADUATED, FREE_THEN_HALF_THEN_QUARTER), "INR")
                .price(dec("15000"));

        assertThat(line.quantity()).isEqualByComparingTo("15000");
        // 5750 / 15000 = 0.38333333... kept to the eight places of a unit price
        assertThat(line.unitPrice()).isEqualTo(new BigDecimal("0.38333333"));
        assertThat(line.detail()).contains("1000 x 0", "9000 x 0.5", "5000 x 0.25");
    }

    @Test
    void roundingUsesTheCurrencyMinorUnit() {
        assertThat(ChargeFactory.create(perUnit("0.4", "0"), "JPY").price(dec("3")).amountMinor()).isEqualTo(1L);
        assertThat(ChargeFactory.create(perUnit("0.0005", "0"), "BHD").price(dec("3")).amountMinor()).isEqualTo(2L);
    }

    @Test
    void minimumCommitmentTopsUpTheShortfallOnly() {
        assertThat(MinimumCommitment.shortfall(500_000, 320_050)).isEqualTo(179_950L);
        assertThat(MinimumCommitment.shortfall(500_000, 600_000)).isZero();
        assertThat(MinimumCommitment.shortfall(500_000, 500_000)).isZero();
        assertThat(MinimumCommitment.shortfall(0, 0)).isZero();
        assertThat(MinimumCommitment.shortfall(500_000, 0)).as("zero usage pays the commitment").isEqualTo(500_000L);
    }

    @Test
    void aggregationsPickTheirColumn() {
        UsageQuantities usage = new UsageQuantities(dec("10.5"), 7, dec("4"), dec("2"));

        assertThat(Arrays.stream(Aggregation.values()).map(a -> a.quantityOf(usage)))
                .usingElementComparator(BigDecimal::compareTo)
                // sum, count, max, latest, and unique_count: the count of a unique_count definition's rows
                .containsExactly(dec("10.5"), dec("7"), dec("4"), dec("2"), dec("7"));
    }

    @Test
    void modelsAndAggregationsHaveTheirSchemaNames() {
        assertThat(ChargeModel.fromWire("per_unit")).isEqualTo(ChargeModel.PER_UNIT);
        assertThat(ChargeModel.PACKAGE.wireName()).isEqualTo("package");
        assertThat(Aggregation.fromWire("latest")).isEqualTo(Aggregation.LATEST);
        assertThat(Aggregation.COUNT.wireName()).isEqualTo("count");
    }

    private static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }
}
