package dev.meterbill.billing.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** GST on the rounded subtotal, supplier in Karnataka (29); amounts in paise. */
class GstCalculatorTest {

    private final GstCalculator gst = new GstCalculator("29", new BigDecimal("18"));

    static Stream<Arguments> splitByPlaceOfSupply() {
        return Stream.of(
                // rule, customer state, subtotal, cgst, sgst, igst
                Arguments.of("sameStateSplitsIntoCgstAndSgst", "29", 100_000L, 9_000L, 9_000L, 0L),
                Arguments.of("otherStatePaysIgst", "27", 100_000L, 0L, 0L, 18_000L),
                // without a recipient location on record, the place of supply is the supplier's location
                Arguments.of("unknownStateIsTheSuppliersState", null, 100_000L, 9_000L, 9_000L, 0L),
                Arguments.of("unknownStateWithOddPaise", null, 1_025L, 92L, 92L, 0L),
                Arguments.of("taxIsRoundedHalfUpOnTheSubtotal", "27", 1_025L, 0L, 0L, 185L),       // 184.5
                Arguments.of("taxBelowHalfAPaisaRoundsDown", "27", 1_001L, 0L, 0L, 180L),          // 180.18
                // each half computed and rounded on its own: 9% of 10.25 = 0.9225 -> 0.92, twice
                Arguments.of("eachHalfIsRoundedOnItsOwn", "29", 1_025L, 92L, 92L, 0L),
                // 9% of 10.01 = 0.9009 -> 0.90, twice
                Arguments.of("evenTaxSplitsEqually", "29", 1_001L, 90L, 90L, 0L),
                // 9% of 1,000.05 = 90.0045 -> 90.00 each; IGST would be 180.009 -> 180.01
                Arguments.of("halvesMayDifferFromTheWholeByAPaisa", "29", 100_005L, 9_000L, 9_000L, 0L),
                // 9% of 0.50 = 0.045 -> 0.05 (HALF_UP) each
                Arguments.of("aHalfPaisaRoundsUp", "29", 50L, 5L, 5L, 0L),
                Arguments.of("zeroSubtotalHasNoTax", "29", 0L, 0L, 0L, 0L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void splitByPlaceOfSupply(String rule, String customerState, long subtotal, long cgst, long sgst, long igst) {
        GstBreakdown tax = gst.calculate(subtotal, customerState);

        assertThat(tax.cgstMinor()).as(rule + " cgst").isEqualTo(cgst);
        assertThat(tax.sgstMinor()).as(rule + " sgst").isEqualTo(sgst);
        assertThat(tax.igstMinor()).as(rule + " igst").isEqualTo(igst);
        assertThat(tax.totalMinor()).isEqualTo(cgst + sgst + igst);
    }

    @Test
    void cgstAndSgstAreEqualAndTogetherWithinAPaisaOfIgst() {
        for (long subtotal = 0; subtotal < 2_000; subtotal++) {
            GstBreakdown intra = gst.calculate(subtotal, "29");
            GstBreakdown inter = gst.calculate(subtotal, "07");
            assertThat(intra.cgstMinor()).isEqualTo(intra.sgstMinor());
            assertThat(intra.cgstMinor() + intra.sgstMinor() - inter.igstMinor()).isBetween(-1L, 1L);
        }
    }

    @Test
    void exportsAreZeroRatedUnderALutAndPayIgstWithoutOne() {
        GstBreakdown underLut = gst.calculate(100_005, null, true, true);
        GstBreakdown withoutLut = gst.calculate(100_005, null, true, false);

        assertThat(underLut.supply()).isEqualTo(GstBreakdown.Supply.EXPORT_UNDER_LUT);
        assertThat(underLut.totalMinor()).isZero();
        assertThat(withoutLut.supply()).isEqualTo(GstBreakdown.Supply.EXPORT_WITH_IGST);
        assertThat(withoutLut.igstMinor()).isEqualTo(18_001L);
    }

    @Test
    void theRateIsConfigurable() {
        GstBreakdown tax = new GstCalculator("29", new BigDecimal("12")).calculate(100_000, "27");

        assertThat(tax.igstMinor()).isEqualTo(12_000L);
        assertThat(tax.ratePercent()).isEqualByComparingTo("12");
    }

    @Test
    void theBreakdownSaysWhichKindOfSupplyItIs() {
        assertThat(gst.calculate(100, "29").intraState()).isTrue();
        assertThat(gst.calculate(100, "33").intraState()).isFalse();
    }
}
