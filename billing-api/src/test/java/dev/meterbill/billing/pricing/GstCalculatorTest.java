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
                Arguments.of("unknownStateIsTreatedAsInterState", null, 100_000L, 0L, 0L, 18_000L),
                Arguments.of("taxIsRoundedHalfUpOnTheSubtotal", "27", 1_025L, 0L, 0L, 185L),       // 184.5
                Arguments.of("taxBelowHalfAPaisaRoundsDown", "27", 1_001L, 0L, 0L, 180L),          // 180.18
                Arguments.of("anOddPaisaOfTaxGoesToCgst", "29", 1_025L, 93L, 92L, 0L),             // 185 = 93 + 92
                Arguments.of("evenTaxSplitsEqually", "29", 1_001L, 90L, 90L, 0L),                  // 180 = 90 + 90
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
    void cgstPlusSgstAlwaysEqualsTheRoundedTotalTax() {
        for (long subtotal = 0; subtotal < 2_000; subtotal++) {
            GstBreakdown intra = gst.calculate(subtotal, "29");
            GstBreakdown inter = gst.calculate(subtotal, "07");
            assertThat(intra.cgstMinor() + intra.sgstMinor()).isEqualTo(inter.igstMinor());
            assertThat(intra.cgstMinor() - intra.sgstMinor()).isBetween(0L, 1L);
        }
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
