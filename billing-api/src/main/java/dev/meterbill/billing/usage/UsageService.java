package dev.meterbill.billing.usage;

import dev.meterbill.billing.apikey.Caller;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.project.ProjectService;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

/** Answers usage queries from the aggregates the streaming job maintains. */
public final class UsageService {

    private final Transactions transactions;
    private final ProjectService projects;
    private final UsageRepository usage;

    public UsageService(Transactions transactions, ProjectService projects, UsageRepository usage) {
        this.transactions = transactions;
        this.projects = projects;
        this.usage = usage;
    }

    /**
     * The project's usage in {@code period}; a foreign or unknown project is not found.
     *
     * <p>{@code isFinal} is true only when rows exist and all of them are final. No rows means
     * "nothing aggregated yet", which cannot be told apart from "not closed yet", so an empty
     * period is never reported as final; a mix means the job is still closing the period.
     */
    public ProjectUsage usage(Caller caller, UUID projectId, YearMonth period) {
        return transactions.readOnly(c -> {
            projects.findVisible(c, caller, projectId);
            List<MetricUsage> metrics = usage.findByProjectAndPeriod(c, projectId, period);
            boolean isFinal = !metrics.isEmpty() && metrics.stream().allMatch(MetricUsage::isFinal);
            return new ProjectUsage(projectId, period, isFinal, metrics);
        });
    }
}
