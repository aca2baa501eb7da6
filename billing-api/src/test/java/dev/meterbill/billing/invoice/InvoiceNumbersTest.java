package dev.meterbill.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InvoiceNumbersTest {

    static Stream<Arguments> theFinancialYearRunsFromAprilToMarch() {
        return Stream.of(
                Arguments.of("2026-04-01", "2026-27"),
                Arguments.of("2027-03-31", "2026-27"),
                Arguments.of("2026-03-31", "2025-26"),
                Arguments.of("2026-01-15", "2025-26"),
                Arguments.of("2099-12-31", "2099-00"));
    }

    @ParameterizedTest(name = "{0} is in {1}")
    @MethodSource
    void theFinancialYearRunsFromAprilToMarch(String day, String year) {
        assertThat(InvoiceNumbers.financialYear(LocalDate.parse(day))).isEqualTo(year);
    }

    @Test
    void numbersCarryTheFinancialYearAndAZeroPaddedSerial() {
        assertThat(InvoiceNumbers.format("MB", "2026-27", 42)).isEqualTo("MB2627-000042");
        assertThat(InvoiceNumbers.format("MB", "2026-27", 1_234_567)).isEqualTo("MB2627-1234567");
    }

    @Test
    void numbersAreAtMostSixteenCharacters() {
        assertThat(InvoiceNumbers.format("ACME", "2026-27", 9_999_999)).hasSize(16);
        assertThatThrownBy(() -> InvoiceNumbers.format("ACME", "2026-27", 10_000_000))
                .isInstanceOf(IllegalStateException.class);
    }
}
