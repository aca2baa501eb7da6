package dev.meterbill.billing.organisation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GSTINs published by their holders, and the same with one character changed. */
class GstinTest {

    @ParameterizedTest(name = "{0} is a GSTIN")
    @CsvSource({"27AAPFU0939F1ZV", "29AAGCR4375J1ZU", "33GSPTN0231G1ZM", "24AAACC1206D1ZM", "29AACCF0683K1ZD"})
    void realGstinsPass(String gstin) {
        assertThat(Gstin.violation(gstin)).isNull();
        assertThat(Gstin.checkCharacter(gstin)).isEqualTo(gstin.charAt(14));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "27AAPFU0939F1ZW, check character",   // last character changed
            "27AAPFU0938F1ZV, check character",   // a digit of the PAN changed
            "29AAGCR4375J1ZV, check character",
            "27AAPFU0939F1Z,  15 characters",
            "2AAAPFU0939F1ZV, 15 characters",      // state code not two digits
            "27AAPF10939F1ZV, 15 characters",      // PAN shape broken
            "27AAPFU0939F0ZV, 15 characters",      // entity number 0
    })
    void aChangedCharacterIsCaught(String gstin, String reason) {
        assertThat(Gstin.violation(gstin)).contains(reason);
    }
}
