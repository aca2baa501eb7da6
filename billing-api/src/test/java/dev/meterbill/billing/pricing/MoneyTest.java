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

    static Stream<Arguments> displayedTheWayItsReadersGroupDigits() {
        return Stream.of(
                Arguments.of(0L, "INR", "\u20B90.00"),
                Arguments.of(5L, "INR", "\u20B90.05"),
                Arguments.of(99_999L, "INR", "\u20B9999.99"),
                Arguments.of(100_000L, "INR", "\u20B91,000.00"),
                Arguments.of(412_882L, "INR", "\u20B94,128.82"),
                Arguments.of(12_345_678L, "INR", "\u20B91,23,456.78"),       // lakh
                Arguments.of(1_234_567_890L, "INR", "\u20B91,23,45,678.90"), // crore
                Arguments.of(100_000_000_000L, "INR", "\u20B91,00,00,00,000.00"), // a hundred crore
                Arguments.of(-118_000L, "INR", "-\u20B91,180.00"),
                Arguments.of(12_345_678L, "USD", "USD 123,456.78"),
                Arguments.of(1_234_567L, "JPY", "JPY 1,234,567"),
                Arguments.of(1_234_567L, "BHD", "BHD 1,234.567"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource
    void displayedTheWayItsReadersGroupDigits(long minor, String currency, String shown) {
        assertThat(Money.display(minor, currency)).isEqualTo(shown);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "0 | 0", "999 | 999", "1000 | 1,000", "17000.000000000000 | 17,000", "123456.50 | 1,23,456.5",
        "12345678 | 1,23,45,678", "-1234 | -1,234"})
    void quantitiesAreGroupedTheIndianWay(String value, String shown) {
        assertThat(Money.indianNumber(new BigDecimal(value))).isEqualTo(shown);
    }
}
