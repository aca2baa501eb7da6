package dev.meterbill.jobs.usage.aggregate;

import dev.meterbill.jobs.usage.UsageAccumulator;
import dev.meterbill.jobs.usage.UsageRecord;

/**
 * Usage of one (project, metric, billing period, day, hour) on its way to {@link PeriodTotalsFunction}:
 * either one event ({@code event} set, {@code combined} null) or the totals of several events that
 * {@link PeriodUsageCombiner} added up ({@code combined} set, {@code event} null). Period, day and hour
 * are in the event's billing timezone, computed once upstream; {@code hour} is the instant (epoch millis) the hour
 * starts at there.
 *
 * <p>Only a single event can be recorded as late: the combiner never combines usage of a period
 * that could be final by the time the totals arrive.
 */
public record PeriodUsage(
        String projectId,
        String metricName,
        String period,
        String day,
        long hour,
        UsageRecord event,
        UsageAccumulator combined) {

    public static PeriodUsage of(UsageRecord event, String period, String day, long hour) {
        return new PeriodUsage(event.projectId(), event.metricName(), period, day, hour, event, null);
    }

    public static PeriodUsage combined(String projectId, String metricName, String period, String day, long hour,
            UsageAccumulator totals) {
        return new PeriodUsage(projectId, metricName, period, day, hour, null, totals);
    }

    /** The same usage under another metric name (a group past the ceiling kept under its overflow name). */
    public PeriodUsage as(String otherMetricName) {
        return new PeriodUsage(projectId, otherMetricName, period, day, hour, event == null ? null : event.as(otherMetricName),
                combined);
    }

    /** The totals this usage adds. */
    public UsageAccumulator totals() {
        return event != null ? UsageAccumulator.of(event) : combined;
    }

    public long count() {
        return event != null ? 1 : combined.count();
    }
}
