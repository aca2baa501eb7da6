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
                "29abcde1234f1zw", null, new Address(" 1 MG Road ", null, "Bengaluru", "560001", null, null));

        assertThat(org.gstin()).isEqualTo("29ABCDE1234F1ZW");
        assertThat(org.stateCode()).isEqualTo("29");
        assertThat(org.currency()).isEqualTo("INR");
        assertThat(org.address()).isEqualTo(new Address("1 MG Road", null, "Bengaluru", "560001", "29", "IN"));
    }

    @Test
    void everyInvalidFieldIsReportedAtOnce() {
        assertThatThrownBy(() -> NewOrganisation.of(" ", "not-an-email", "XYZ", "Mars/Olympus", "12", "2A", null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors())
                        .extracting(FieldError::field)
                        .containsExactlyInAnyOrder("name", "billingEmail", "currency", "timezone", "gstin", "stateCode"));
    }

    @ParameterizedTest(name = "gstin {0} with state code {1} is refused on {2}")
    @CsvSource({
            "29ABCDE1234F1ZW, 27, stateCode",
            "29ABCDE1234F1Z, , gstin",
            "AB1234567890123, , gstin",
            "29ABCDE1234F1Z5, , gstin",
    })
    void gstRegistrationMustBeConsistent(String gstin, String stateCode, String field) {
        assertThatThrownBy(() -> NewOrganisation.of("Acme", "a@b.in", null, null, gstin, stateCode, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors())
                        .extracting(FieldError::field).containsExactly(field));
    }

    private static final Organisation CURRENT = new Organisation(java.util.UUID.randomUUID(), "Acme", "a@acme.in", "INR",
            "Asia/Kolkata", "29ABCDE1234F1ZW", "29", new Address("1 MG Road", null, "Bengaluru", "560001", "29", "IN"),
            null, java.time.Instant.now(), java.time.Instant.now());

    @Test
    void aChangeKeepsWhatItLeavesOutAndClearsWhatItEmpties() {
        NewOrganisation changed = NewOrganisation.merged(CURRENT, null, "ap@acme.in", null, null, null, null,
                new Address(null, "Floor 3", "", null, null, null));

        assertThat(changed.name()).isEqualTo("Acme");
        assertThat(changed.billingEmail()).isEqualTo("ap@acme.in");
        assertThat(changed.gstin()).isEqualTo("29ABCDE1234F1ZW");
        assertThat(changed.address()).isEqualTo(new Address("1 MG Road", "Floor 3", null, "560001", "29", "IN"));
    }

    @ParameterizedTest(name = "move to gstin {0}, state {1}: state {2}, gstin {3}, refused on {4}")
    @CsvSource(nullValues = "-", value = {
            // a registration in Maharashtra brings its state with it
            "27ABCDE1234F1Z0, -,  27, 27ABCDE1234F1Z0, -",
            // a new state without a new GSTIN contradicts the registration
            "-,               27, -,  -,               stateCode",
            // giving up the registration (an unregistered customer) and moving
            "'',              27, 27, -,               -",
            // the wrong check character
            "27ABCDE1234F1Z5, -,  -,  -,               gstin",
    })
    void theGstRegistrationStaysConsistentThroughAChange(String gstin, String stateCode, String newState,
                                                         String newGstin, String refusedOn) {
        if (refusedOn != null) {
            assertThatThrownBy(() -> NewOrganisation.merged(CURRENT, null, null, null, null, gstin, stateCode, null))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors())
                            .extracting(FieldError::field).contains(refusedOn));
            return;
        }
        NewOrganisation changed = NewOrganisation.merged(CURRENT, null, null, null, null, gstin, stateCode, null);
        assertThat(changed.stateCode()).isEqualTo(newState);
        assertThat(changed.gstin()).isEqualTo(newGstin);
    }

    @Test
    void theCurrencyNeverChangesAndForeignAddressesHaveNoGstState() {
        assertThatThrownBy(() -> NewOrganisation.merged(CURRENT, null, null, "USD", null, null, null, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors())
                        .extracting(FieldError::field).containsExactly("currency"));
        assertThatThrownBy(() -> NewOrganisation.merged(CURRENT, null, null, null, null, null, null,
                new Address(null, null, null, "SW1A 1AA", null, "GB")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors())
                        .extracting(FieldError::field).contains("gstin", "stateCode"));
        NewOrganisation abroad = NewOrganisation.merged(CURRENT, null, null, null, null, "", "",
                new Address("10 Downing St", null, "London", "SW1A 2AA", null, "gb"));
        assertThat(abroad.address().country()).isEqualTo("GB");
        assertThat(abroad.stateCode()).isNull();
        assertThatThrownBy(() -> NewOrganisation.merged(CURRENT, null, null, null, null, null, null,
                new Address(null, null, null, "56001", null, null)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors())
                        .extracting(FieldError::field).containsExactly("address.postalCode"));
    }
}
