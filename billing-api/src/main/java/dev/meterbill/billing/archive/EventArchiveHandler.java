package dev.meterbill.billing.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.archive.format.ArchivedEvent;
import dev.meterbill.archive.format.EventArchive;
import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Sql;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.error.ForbiddenException;
import dev.meterbill.billing.error.UnavailableException;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.billing.http.QueryParams;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.idempotency.Idempotency;
import dev.meterbill.billing.organisation.Organisation;
import dev.meterbill.billing.organisation.OrganisationPaths;
import dev.meterbill.billing.organisation.OrganisationRepository;
import dev.meterbill.billing.project.Project;
import dev.meterbill.billing.project.ProjectService;
import dev.meterbill.events.EventValidator;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw-event archive over HTTP (issue 18): a project's events exported as NDJSON or CSV, streamed from the Parquet
 * files; an organisation's retention; deleting an organisation's events on request.
 */
public final class EventArchiveHandler {

    private static final Logger LOG = LoggerFactory.getLogger(EventArchiveHandler.class);

    private final Transactions transactions;
    private final ProjectService projects;
    private final OrganisationRepository organisations;
    private final ArchiveSettings settings;
    private final EventArchive archive;
    private final AuditLog auditLog;
    private final JsonBody jsonBody;
    private final Idempotency idempotency;
    private final ObjectMapper json;

    public EventArchiveHandler(Transactions transactions, ProjectService projects, OrganisationRepository organisations,
                               ArchiveSettings settings, AuditLog auditLog, JsonBody jsonBody, Idempotency idempotency,
                               ObjectMapper json) {
        this.transactions = transactions;
        this.projects = projects;
        this.organisations = organisations;
        this.settings = settings;
        this.archive = settings.archive();
        this.auditLog = auditLog;
        this.jsonBody = jsonBody;
        this.idempotency = idempotency;
        this.json = json;
    }

    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/api/v1/projects/{projectId}/events", this::export);
        routes.get("/api/v1/organisations/{orgId}/archive", this::describe);
        routes.put("/api/v1/organisations/{orgId}/archive", idempotency.wrap(this::putRetention));
        routes.delete("/api/v1/organisations/{orgId}/events", idempotency.wrap(this::delete));
    }

    /** An organisation's archive: its retention and what the archive holds for it. */
    public record ArchiveResponse(UUID organisationId, int retentionDays, boolean defaultRetention, LocalDate oldestDay,
                                  LocalDate newestDay, int days, int files, long bytes) {}

    /** Body of {@code PUT …/archive}: null returns the organisation to the default retention. */
    public record RetentionRequest(Integer retentionDays) {}

    /** What {@code DELETE …/events} removed. */
    public record DeletionResponse(UUID organisationId, LocalDate before, int days, int files, long bytes) {}

    /**
     * {@code GET /projects/{id}/events?from=&to=[&metric=][&format=ndjson|csv]}: the project's accepted events whose
     * timestamp is in {@code [from, to)}, day by day in the billing timezone (within a day, in the order the archive
     * wrote them), written as they are read so that a month never sits in memory.
     */
    private void export(Context ctx) throws IOException {
        Caller caller = Authenticator.caller(ctx);
        UUID projectId = PathIds.uuid(ctx, "projectId", "Project");
        FieldErrors errors = new FieldErrors();
        Instant from = QueryParams.instant(ctx, "from", errors);
        Instant to = QueryParams.instant(ctx, "to", errors);
        if (from != null && to != null && !to.isAfter(from)) {
            errors.add("to", "must be after from");
        }
        String metric = ctx.queryParam("metric");
        if (metric != null && !EventValidator.METRIC_NAME.matcher(metric).matches()) {
            errors.add("metric", "must be a metric name matching " + EventValidator.METRIC_NAME.pattern());
        }
        EventLines.Format format = format(ctx.queryParam("format"), errors);
        errors.throwIfAny();
        record Owner(Project project, ZoneId zone) {}
        Owner owner = transactions.readOnly(c -> {
            Project p = projects.findVisible(c, caller, projectId);
            return new Owner(p, OrganisationRepository.timezone(c, p.organisationId()));
        });
        Project project = owner.project();
        ZoneId zone = owner.zone();
        EventArchive events = archive();
        // An event's directory is its day in the timezone the organisation had when it was archived: a day more on each
        // side covers a change of timezone; the timestamps decide.
        LocalDate firstDay = from.atZone(zone).toLocalDate().minusDays(1);
        LocalDate lastDay = to.minusNanos(1).atZone(zone).toLocalDate().plusDays(1);
        ctx.contentType(format.contentType);
        ctx.header("Content-Disposition", "attachment; filename=\"events-" + projectId + "." + format.extension + "\"");
        long started = System.nanoTime();
        long exported;
        try (EventLines lines = EventLines.of(format, json, ctx.outputStream())) {
            exported = events.read(project.organisationId().toString(), firstDay, lastDay, projectId.toString(),
                    e -> (metric == null || metric.equals(e.metricName)) && inRange(e, from, to), lines::write);
        }
        LOG.info("exported {} events of project {} ({} to {}, {}) in {} ms", exported, projectId, from, to, format.extension,
                (System.nanoTime() - started) / 1_000_000);
    }

    private void describe(Context ctx) throws IOException {
        Organisation org = OrganisationPaths.visible(ctx, Authenticator.caller(ctx), transactions, organisations);
        Integer own = transactions.readOnly(c -> ownRetention(c, org.id()));
        Map<LocalDate, List<Path>> days = archive().days(org.id().toString());
        int files = 0;
        long bytes = 0;
        for (List<Path> day : days.values()) {
            files += day.size();
            for (Path file : day) {
                bytes += Files.size(file);
            }
        }
        List<LocalDate> held = days.keySet().stream().toList();
        ctx.json(new ArchiveResponse(org.id(), own == null ? settings.defaultRetentionDays() : own, own == null,
                held.isEmpty() ? null : held.get(0), held.isEmpty() ? null : held.get(held.size() - 1), held.size(), files,
                bytes));
    }

    private void putRetention(Context ctx) throws IOException {
        Caller caller = Authenticator.caller(ctx);
        Organisation org = operatorOnly(ctx, caller, "Only the operator sets how long an organisation's raw events are kept");
        archive(); // without an archive there is nothing to keep: 503 before anything is saved
        RetentionRequest body = jsonBody.read(ctx, RetentionRequest.class);
        Integer days = body.retentionDays();
        if (days != null && (days < ArchiveSettings.MIN_RETENTION_DAYS || days > ArchiveSettings.MAX_RETENTION_DAYS)) {
            new FieldErrors().add("retentionDays", "must be a whole number of days from " + ArchiveSettings.MIN_RETENTION_DAYS
                    + " (a closed period must stay re-ratable) to " + ArchiveSettings.MAX_RETENTION_DAYS + ", or null for the default ("
                    + settings.defaultRetentionDays() + ")").throwIfAny();
        }
        transactions.inTransaction(c -> {
            Integer before = ownRetention(c, org.id());
            if (days == null) {
                Sql.update(c, "DELETE FROM archive_retention WHERE organisation_id = ?", org.id());
            } else {
                Sql.update(c, """
                        INSERT INTO archive_retention (organisation_id, retention_days) VALUES (?, ?)
                        ON CONFLICT (organisation_id) DO UPDATE SET retention_days = EXCLUDED.retention_days, updated_at = now()
                        """, org.id(), days);
            }
            auditLog.record(c, new AuditEntry(caller.actor(), org.id(), "archive.retention_set", "organisation",
                    org.id().toString(), before == null ? null : Map.of("retentionDays", before),
                    days == null ? null : Map.of("retentionDays", days), RequestIds.of(ctx)));
            return null;
        });
        describe(ctx);
    }

    /**
     * {@code DELETE /organisations/{id}/events[?before=YYYY-MM-DD]}: the organisation's archived events of the days
     * before that day (every day when absent) are deleted; other organisations' files are never touched. Files the
     * archive job is still writing (the last checkpoint interval) are left to it.
     */
    private void delete(Context ctx) throws IOException {
        Caller caller = Authenticator.caller(ctx);
        Organisation org = operatorOnly(ctx, caller, "Only the operator deletes an organisation's raw events");
        String text = ctx.queryParam("before");
        LocalDate before = null;
        if (text != null) {
            try {
                before = LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                new FieldErrors().add("before", "must be a day such as 2026-11-01").throwIfAny();
            }
        }
        EventArchive.Deletion deleted = archive().delete(org.id().toString(), before);
        DeletionResponse response = new DeletionResponse(org.id(), before, deleted.days(), deleted.files(), deleted.bytes());
        transactions.inTransaction(c -> {
            auditLog.record(c, new AuditEntry(caller.actor(), org.id(), "archive.events_deleted", "organisation",
                    org.id().toString(), null, response, RequestIds.of(ctx)));
            return null;
        });
        LOG.info("deleted the archived events of organisation {} before {}: {} days, {} files, {} bytes", org.id(),
                before == null ? "today" : before, deleted.days(), deleted.files(), deleted.bytes());
        ctx.json(response);
    }

    private Organisation operatorOnly(Context ctx, Caller caller, String refusal) {
        Organisation org = OrganisationPaths.visible(ctx, caller, transactions, organisations);
        if (!caller.isOperator()) {
            throw new ForbiddenException(refusal);
        }
        return org;
    }

    private EventArchive archive() {
        if (archive == null) {
            throw new UnavailableException("This billing-api has no raw-event archive: set " + ArchiveSettings.PATH
                    + " to the directory the archive job writes", null);
        }
        return archive;
    }

    static Integer ownRetention(Connection c, UUID organisationId) throws SQLException {
        return Sql.one(c, "SELECT retention_days FROM archive_retention WHERE organisation_id = ?", rs -> rs.getInt(1),
                organisationId).orElse(null);
    }

    private static boolean inRange(ArchivedEvent e, Instant from, Instant to) {
        Instant at = Instant.parse(e.timestamp);
        return !at.isBefore(from) && at.isBefore(to);
    }

    private static EventLines.Format format(String text, FieldErrors errors) {
        if (text == null) {
            return EventLines.Format.NDJSON;
        }
        try {
            return EventLines.Format.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add("format", "must be ndjson or csv");
            return EventLines.Format.NDJSON;
        }
    }
}
