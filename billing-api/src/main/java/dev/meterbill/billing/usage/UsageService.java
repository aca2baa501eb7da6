package dev.meterbill.billing.usage;

import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.organisation.OrganisationRepository;
import dev.meterbill.billing.project.Project;
import dev.meterbill.billing.project.ProjectService;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Answers usage queries from the aggregates the streaming job maintains; live for the open period.
 *
 * <p>{@code isFinal} is true only when rows exist and all of them are final. No rows means "nothing
 * aggregated yet", which cannot be told apart from "not closed yet", so an empty period is never
 * reported as final; a mix means the job is still closing the period.
 */
public record UsageService(Transactions transactions, ProjectService projects, UsageRepository repository) {

    /** Ranges of at least this many hours are read in two halves at once (docs/benchmarks.md, usage query). */
    static final int SPLIT_HOURS = 7 * 24;
    /**
     * The later halves' readers: two threads, no queue. When both are busy the caller reads its later half itself, so
     * a burst of long queries takes one connection each, never more than two extra in all.
     */
    private static final ExecutorService LATER_HALVES = new ThreadPoolExecutor(0, 2, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "usage-later-half");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.CallerRunsPolicy());

    /** The project's usage in {@code period}; a foreign or unknown project is not found. */
    public ProjectUsage usage(Caller caller, UUID projectId, YearMonth period) {
        return transactions.readOnly(c -> {
            Project project = projects.findVisible(c, caller, projectId);
            List<MetricUsage> metrics = repository.findByProjectAndPeriod(c, projectId, period);
            return new ProjectUsage(projectId, period, isFinal(metrics), metrics,
                    OrganisationRepository.timezone(c, project.organisationId()));
        });
    }

    /** Every project of the organisation with its usage in {@code period}, oldest project first. */
    public OrganisationUsage organisationUsage(Caller caller, UUID organisationId, YearMonth period) {
        // Checks that the organisation exists and is the caller's (404 otherwise).
        List<Project> all = projects.list(caller, organisationId);
        return transactions.readOnly(c -> {
            Map<UUID, List<MetricUsage>> byProject = repository.findByOrganisationAndPeriod(c, organisationId, period);
            ZoneId zone = OrganisationRepository.timezone(c, organisationId);
            List<OrganisationUsage.ProjectEntry> entries = new ArrayList<>();
            for (Project project : all) {
                List<MetricUsage> metrics = byProject.getOrDefault(project.id(), List.of());
                entries.add(new OrganisationUsage.ProjectEntry(project.id(), project.name(),
                        new ProjectUsage(project.id(), period, isFinal(metrics), metrics, zone)));
            }
            List<MetricUsage> every = byProject.values().stream().flatMap(Collection::stream).toList();
            return new OrganisationUsage(organisationId, period, isFinal(every), entries);
        });
    }

    /** The project's usage over a range (see {@link UsageQuery}); a foreign or unknown project is not found. */
    public UsageSeries series(Caller caller, UUID projectId, UsageQuery query) {
        return transactions.readOnly(c -> {
            Project project = projects.findVisible(c, caller, projectId);
            ZoneId zone = OrganisationRepository.timezone(c, project.organisationId());
            query.aligned(zone);
            return new UsageSeries(projectId, project.organisationId(), query.from(), query.to(), query.granularity(),
                    zone.getId(), series(c, "project_id", projectId, query, zone));
        });
    }

    /** The organisation's usage over a range, its projects' added up per metric and group. */
    public UsageSeries organisationSeries(Caller caller, UUID organisationId, UsageQuery query) {
        projects.list(caller, organisationId); // 404 for a foreign or unknown organisation
        return transactions.readOnly(c -> {
            ZoneId zone = OrganisationRepository.timezone(c, organisationId);
            query.aligned(zone);
            return new UsageSeries(null, organisationId, query.from(), query.to(), query.granularity(), zone.getId(),
                    series(c, "organisation_id", organisationId, query, zone));
        });
    }

    /**
     * Hours are read from the hourly totals. Days and months take the query's whole days from the daily totals (30 rows
     * a metric a month instead of 720) and only the hours of a partial first or last day from the hourly ones; when a
     * day of the range was kept in another timezone (before the organisation's changed), everything from the hours.
     */
    private List<UsageSeries.Series> series(Connection c, String column, UUID owner, UsageQuery query, ZoneId zone)
            throws SQLException {
        UsageSeries.Builder series = new UsageSeries.Builder(query, zone);
        if (!query.granularity().equals("hour")) {
            LocalDate first = query.from().atZone(zone).toLocalDate();
            if (!first.atStartOfDay(zone).toInstant().equals(query.from())) {
                first = first.plusDays(1);
            }
            LocalDate end = query.to().atZone(zone).toLocalDate();
            Instant firstStart = first.atStartOfDay(zone).toInstant();
            Instant endStart = end.atStartOfDay(zone).toInstant();
            List<UsageSeries.Row> days = first.isBefore(end)
                    ? repository.findDays(c, column, owner, query, zone, first, end) : null;
            if (days != null) { // in time order: the first day's hours, the days, the last day's hours
                if (query.from().isBefore(firstStart)) {
                    repository.findHours(c, column, owner, query, query.from(), firstStart, series::add);
                }
                days.forEach(series::add);
                if (endStart.isBefore(query.to())) {
                    repository.findHours(c, column, owner, query, endStart, query.to(), series::add);
                }
                return series.build();
            }
        }
        hours(c, column, owner, query, series::add);
        return series.build();
    }

    /**
     * The query's hours, in time order per series. A long range (a month: 43,200 rows for 60 metrics) is read in two
     * halves at once, the later one on a connection of its own: decoding the rows is most of the answer's time, and
     * two cores decode two halves. Each hour is read once, from one snapshot or the other.
     */
    private void hours(Connection c, String column, UUID owner, UsageQuery query, Consumer<UsageSeries.Row> rows)
            throws SQLException {
        long hours = Duration.between(query.from(), query.to()).toHours();
        if (hours < SPLIT_HOURS) {
            repository.findHours(c, column, owner, query, query.from(), query.to(), rows);
            return;
        }
        Instant middle = query.from().plus(Duration.ofHours(hours / 2));
        Future<List<UsageSeries.Row>> later = LATER_HALVES.submit(() -> transactions.readOnly(other -> {
            List<UsageSeries.Row> read = new ArrayList<>();
            repository.findHours(other, column, owner, query, middle, query.to(), read::add);
            return read;
        }));
        repository.findHours(c, column, owner, query, query.from(), middle, rows);
        try {
            later.get().forEach(rows);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + query.from() + " to " + query.to(), e);
        }
    }

    private static boolean isFinal(List<MetricUsage> metrics) {
        return !metrics.isEmpty() && metrics.stream().allMatch(MetricUsage::isFinal);
    }
}
