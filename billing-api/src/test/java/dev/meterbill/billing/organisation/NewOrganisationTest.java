package dev.meterbill.billing.organisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterbill.billing.error.ValidationException;
import dev.meterbill.service.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NewOrganisationTest {

    @Test
    void currencyDefaultsToInrAndTimezoneToUtc() {
        NewOrganisation org = NewOrganisation.of("Acme", "billing@acme.in", null, null, null, null, null);

        assertThat(org.currency()).isEqualTo("INR");
        assertThat(org.timezone()).isEqualTo("UTC");
    }

    @Test
    void stateCodeIsTakenFromTheGstinWhenOmitted() {
        NewOrganisation org = NewOrganisation.of("Acme", "billing@acme.in", "inr", "Asia/Kolkata",
                "29abcde1234f1z5", null, " 1 MG Road ");

        assertThat(org.gstin()).isEqualTo("29ABCDE1234F1Z5");
        assertThat(org.stateCode()).isEqualTo("29");
        assertThat(org.currency()).isEqualTo("INR");
        assertThat(org.address()).isEqualTo("1 MG Road");
    }

    @Test
    void everyInvalidFieldIsReportedAtOnce() {
        assertThatThrownBy(() -> NewOrganisation.of(" ", "not-an-email", "XYZ", "Mars/Olympus", "12", "2A", null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors())
                        .extracting(FieldError::field)
                        .containsExactly("name", "billingEmail", "currency", "timezone", "gstin", "stateCode"));
    }

    @ParameterizedTest(name = "gstin {0} with state code {1} is refused on {2}")
    @CsvSource({
            "29ABCDE1234F1Z5, 27, stateCode",
            "29ABCDE1234F1Z, , gstin",
            "AB1234567890123, , gstin",
    })
    void gstRegistrationMustBeConsistent(String gstin, String stateCode, String field) {
        assertThatThrownBy(() -> NewOrganisation.of("Acme", "a@b.in", null, null, gstin, stateCode, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors())
                        .extracting(FieldError::field).containsExactly(field));
    }
}
