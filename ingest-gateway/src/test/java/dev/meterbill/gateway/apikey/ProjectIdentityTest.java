package dev.meterbill.gateway.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Events are stamped with the timezone in force at their own time, not at the time they arrive. */
class ProjectIdentityTest {

    @ParameterizedTest(name = "an event of {0} is billed in {1}")
    @CsvSource({
            "2026-11-30T23:59:59.999Z, Asia/Kolkata",
            "2026-12-01T00:00:00Z,     UTC",
            "2027-03-01T00:00:00Z,     UTC",
    })
    void aPendingTimezoneTakesOverAtItsInstant(String eventTime, String zone) {
        ProjectIdentity identity = new ProjectIdentity(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                "Asia/Kolkata", "UTC", Instant.parse("2026-12-01T00:00:00Z"));

        assertThat(identity.timezoneAt(Instant.parse(eventTime))).isEqualTo(zone);
    }

    @ParameterizedTest(name = "without a pending change, {0} is billed in the organisation's timezone")
    @CsvSource({"2020-01-01T00:00:00Z", "2099-01-01T00:00:00Z"})
    void withoutAPendingChangeEveryEventHasTheTimezone(String eventTime) {
        ProjectIdentity identity = new ProjectIdentity(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                "Asia/Kolkata", null, null);

        assertThat(identity.timezoneAt(Instant.parse(eventTime))).isEqualTo("Asia/Kolkata");
    }
}
