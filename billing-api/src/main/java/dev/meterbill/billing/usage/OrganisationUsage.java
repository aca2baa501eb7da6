package dev.meterbill.billing.usage;

import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

/**
 * An organisation's usage in one billing period, per project.
 *
 * @param isFinal true only when usage rows exist and every one of them is final
 */
public record OrganisationUsage(UUID organisationId, YearMonth period, boolean isFinal,
                                List<ProjectEntry> projects) {

    /** One project and its usage. */
    public record ProjectEntry(UUID projectId, String name, ProjectUsage usage) {}
}
