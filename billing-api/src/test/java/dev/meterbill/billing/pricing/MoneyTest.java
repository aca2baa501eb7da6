package dev.meterbill.billing.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MoneyTest {

    static Stream<Arguments> halfUpToTheMinorUnit() {
        return Stream.of(
                Arguments.of("INR", "15.43125", 1543L),
                Arguments.of("INR", "1.265", 127L),      // HALF_EVEN would give 1.26
                Arguments.of("INR", "1.2649999999", 126L), // never rounds twice
                Arguments.of("INR", "0.005", 1L),
                Arguments.of("INR", "0.00499999", 0L),
                Arguments.of("JPY", "100.5", 101L),     // no minor unit
                Arguments.of("BHD", "1.2345", 1235L),   // three fraction digits
                Arguments.of("USD", "0", 0L));
    }

    @ParameterizedTest(name = "{1} {0} -> {2} minor units")
    @MethodSource
    void halfUpToTheMinorUnit(String currency, String major, long minor) {
        assertThat(Money.roundToMinor(new BigDecimal(major), currency)).isEqualTo(minor);
    }

    @Test
    void minorUnitsConvertBackWithTheCurrencyScale() {
        assertThat(Money.toMajor(123450, "INR")).isEqualTo(new BigDecimal("1234.50"));
        assertThat(Money.toMajor(5, "JPY")).isEqualTo(new BigDecimal("5"));
        assertThat(Money.toMajor(1, "BHD")).isEqualTo(new BigDecimal("0.001"));
    }

    @Test
    void exactConversionRefusesFractionsOfAMinorUnit() {
        assertThat(Money.toMinorExact(new BigDecimal("499.9"), "INR")).isEqualTo(49990L);
        assertThat(Money.toMinorExact(new BigDecimal("499.900"), "INR")).isEqualTo(49990L);
        assertThatThrownBy(() -> Money.toMinorExact(new BigDecimal("499.999"), "INR"))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void currenciesWithoutAMinorUnitDefinitionAreRefused() {
        assertThatThrownBy(() -> Money.minorDigits("XAU")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Money.minorDigits("ZZZ")).isInstanceOf(IllegalArgumentException.class);
    }
}
