package dev.meterbill.billing.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TDS on the taxable value, by hand: amounts in paise. */
class TdsRulesTest {

    @ParameterizedTest(name = "{1}% of {0} = {2}")
    @CsvSource({
            "100000,  10,   10000",   // 194J professional services, 10% of 1,000.00
            "100000,  2,    2000",    // 194J technical services, 2%
            "123457,  2,    2469",    // 2% of 1,234.57 = 24.6914 -> 24.69
            "123475,  2,    2470",    // 2% of 1,234.75 = 24.695 -> 24.70 (HALF_UP)
            "99999,   1,    1000",    // 194C, 1% of 999.99 = 9.9999 -> 10.00
            "100001,  0.75, 750",     // 0.75% of 1,000.01 = 7.500075 -> 7.50
    })
    void isTheRateOfTheTaxableValueRoundedHalfUp(long taxable, String rate, long amount) {
        assertThat(TdsRules.amountAt(taxable, new BigDecimal(rate))).isEqualTo(amount);
    }

    @ParameterizedTest(name = "taxable {0}, recorded {1}, due {2}: {3} more -> {4}")
    @CsvSource({
            "100000, 0,     118000, 10000, ok",
            "100000, 0,     118000, 20000, ok",        // 20% of the taxable value: the most
            "100000, 0,     118000, 20001, 20%",
            "100000, 10000, 108000, 10001, 20%",       // two records together above 20%
            "100000, 0,     5000,   10000, still due",  // more than what is left to pay
            "100000, 0,     118000, 0,     more than zero",
    })
    void isAtMostAFifthOfTheTaxableValueAndWhatIsDue(long taxable, long recorded, long due, long amount, String outcome) {
        String refusal = TdsRules.refusal(taxable, recorded, due, amount);

        if (outcome.equals("ok")) {
            assertThat(refusal).isNull();
        } else {
            assertThat(refusal).contains(outcome);
        }
    }
}
