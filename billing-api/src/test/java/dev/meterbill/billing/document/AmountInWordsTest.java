package dev.meterbill.billing.document;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Totals in words as a tax invoice prints them, written by hand. */
class AmountInWordsTest {

    @ParameterizedTest(name = "{0} paise: {1}")
    @CsvSource(delimiter = '|', value = {
            "0          | Rupees Zero Only",
            "1          | Rupees Zero and One Paise Only",
            "118000     | Rupees One Thousand One Hundred Eighty Only",
            "294882     | Rupees Two Thousand Nine Hundred Forty-Eight and Eighty-Two Paise Only",
            "10000000   | Rupees One Lakh Only",
            "12345678   | Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six and Seventy-Eight Paise Only",
            "1000000000 | Rupees One Crore Only",
            "9999999999 | Rupees Nine Crore Ninety-Nine Lakh Ninety-Nine Thousand Nine Hundred Ninety-Nine and Ninety-Nine Paise Only",
            "123456789005 | Rupees One Hundred Twenty-Three Crore Forty-Five Lakh Sixty-Seven Thousand Eight Hundred Ninety and Five Paise Only",
            "1000000000000 | Rupees One Thousand Crore Only",
            "70011      | Rupees Seven Hundred and Eleven Paise Only",
    })
    void areWrittenInIndianNumbering(long paise, String words) {
        assertThat(AmountInWords.rupees(paise)).isEqualTo(words);
    }
}
