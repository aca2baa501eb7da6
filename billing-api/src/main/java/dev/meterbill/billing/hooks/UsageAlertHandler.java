package dev.meterbill.billing.hooks;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.db.Sql;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.ConflictException;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.idempotency.Idempotency;
import dev.meterbill.billing.organisation.Organisation;
import dev.meterbill.billing.organisation.OrganisationPaths;
import dev.meterbill.billing.organisation.OrganisationRepository;
import dev.meterbill.billing.period.PeriodCalendar;
import dev.meterbill.events.EventValidator;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

/**
 * {@code /organisations/{orgId}/usage-alerts} (the operator or the organisation itself): levels of a metric's
 * quantity or of the estimated amount of the running period, each firing {@code usage.threshold_reached} once per
 * period (see {@link UsageAlerts}).
 */
public final class UsageAlertHandler {

    static final int MAX_ALERTS = 50;
    private static final String BASE = "/api/v1/organisations/{orgId}/usage-alerts";
    private static final BigDecimal LIMIT = new BigDecimal("1e24");

    /**
     * Body of {@code POST}: {@code kind} quantity (of {@code metricName}, optionally of one project) or amount (the
     * estimated invoice; with {@code metricName}, that metric's lines); {@code budget} with {@code percentages}, or
     * absolute {@code values}.
     */
    public record AlertRequest(String kind, String metricName, String projectId, BigDecimal budget,
                               List<Integer> percentages, List<BigDecimal> values, String description) {}

    /** An alert with the levels it reached in the running period. */
    public record AlertView(UsageAlerts.Alert alert, String period, List<BigDecimal> firedThisPeriod) {}

    public record AlertList(UUID organisationId, List<AlertView> alerts) {}

    private final Transactions transactions;
    private final UsageAlerts alerts;
    private final OrganisationRepository organisations;
    private final AuditLog auditLog;
    private final JsonBody jsonBody;
    private final Idempotency idempotency;
    private final Clock clock;

    public UsageAlertHandler(Transactions transactions, UsageAlerts alerts, OrganisationRepository organisations,
                             AuditLog auditLog, JsonBody jsonBody, Idempotency idempotency, Clock clock) {
        this.transactions = transactions;
        this.alerts = alerts;
        this.organisations = organisations;
        this.auditLog = auditLog;
        this.jsonBody = jsonBody;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    public void register(JavalinDefaultRoutingApi routes) {
        routes.post(BASE, idempotency.wrap(this::create));
        routes.get(BASE, this::list);
        routes.delete(BASE + "/{alertId}", idempotency.wrap(this::delete));
    }

    private Organisation organisation(Context ctx) {
        return OrganisationPaths.visible(ctx, Authenticator.caller(ctx), transactions, organisations);
    }

    private YearMonth running(Organisation org) {
        return PeriodCalendar.periodOf(clock.instant(), ZoneId.of(org.asOf(clock.instant()).timezone()));
    }

    private void create(Context ctx) {
        Organisation org = organisation(ctx);
        AlertRequest body = jsonBody.read(ctx, AlertRequest.class);
        FieldErrors errors = new FieldErrors();
        String kind = body.kind();
        if (!"quantity".equals(kind) && !"amount".equals(kind)) {
            errors.add("kind", "must be quantity or amount");
        }
        if (body.metricName() != null && !EventValidator.METRIC_NAME.matcher(body.metricName()).matches()) {
            errors.add("metricName", "must match " + EventValidator.METRIC_NAME.pattern());
        }
        if ("quantity".equals(kind) && body.metricName() == null) {
            errors.add("metricName", "is required for a quantity alert");
        }
        UUID projectId = null;
        if (body.projectId() != null) {
            try {
                projectId = UUID.fromString(body.projectId());
            } catch (IllegalArgumentException e) {
                errors.add("projectId", "must be a project of the organisation");
            }
            if ("amount".equals(kind)) {
                errors.add("projectId", "an amount alert is for the whole organisation");
            }
        }
        if (body.description() != null && body.description().length() > 200) {
            errors.add("description", "must be at most 200 characters");
        }
        List<BigDecimal> levels = levels(errors, body);
        errors.throwIfAny();
        UUID project = projectId;
        UsageAlerts.Alert made = transactions.inTransaction(c -> {
            if (project != null && Sql.one(c, "SELECT 1 FROM projects WHERE id = ? AND organisation_id = ?",
                    rs -> 1, project, org.id()).isEmpty()) {
                new FieldErrors().add("projectId", "must be a project of the organisation").throwIfAny();
            }
            if (alerts.list(c, org.id()).size() >= MAX_ALERTS) {
                throw new ConflictException("An organisation has at most " + MAX_ALERTS + " usage alerts");
            }
            UsageAlerts.Alert alert = alerts.insert(c, new UsageAlerts.Alert(UUID.randomUUID(), org.id(), project,
                    body.metricName(), kind, body.budget(), body.budget() == null ? null
                            : body.percentages().stream().distinct().sorted().toList(), levels,
                    body.description() == null || body.description().isBlank() ? null : body.description().strip(), null));
            auditLog.record(c, new AuditEntry(Authenticator.caller(ctx).actor(), org.id(), "usage_alert.created",
                    "usage_alert", alert.id().toString(), null, alert, RequestIds.of(ctx)));
            return alert;
        });
        ctx.status(201).json(new AlertView(made, running(org).toString(), List.of()));
    }

    /** The absolute levels, ascending (so in the order of the percentages, sorted): budget x percentages, or the values. */
    private static List<BigDecimal> levels(FieldErrors errors, AlertRequest body) {
        boolean byBudget = body.budget() != null || body.percentages() != null;
        if (byBudget == (body.values() != null)) {
            errors.add("values", "give budget with percentages, or values");
            return List.of();
        }
        TreeSet<BigDecimal> levels = new TreeSet<>();
        if (byBudget) {
            if (body.budget() == null || body.budget().signum() <= 0 || body.budget().compareTo(LIMIT) >= 0
                    || body.budget().scale() > 12) {
                errors.add("budget", "must be above 0 and below 10^24, at most 12 decimals");
            }
            if (body.percentages() == null || body.percentages().isEmpty() || body.percentages().size() > 20) {
                errors.add("percentages", "must hold 1 to 20 percentages");
                return List.of();
            }
            for (int i = 0; i < body.percentages().size(); i++) {
                Integer p = body.percentages().get(i);
                if (p == null || p < 1 || p > 1000) {
                    errors.add("percentages[" + i + "]", "must be a whole percentage from 1 to 1000");
                } else if (body.budget() != null && body.budget().signum() > 0) {
                    levels.add(body.budget().multiply(BigDecimal.valueOf(p)).divide(BigDecimal.valueOf(100), 12,
                            RoundingMode.HALF_UP).stripTrailingZeros());
                }
            }
        } else {
            if (body.values().isEmpty() || body.values().size() > 20) {
                errors.add("values", "must hold 1 to 20 values");
                return List.of();
            }
            for (int i = 0; i < body.values().size(); i++) {
                BigDecimal v = body.values().get(i);
                if (v == null || v.signum() <= 0 || v.compareTo(LIMIT) >= 0 || v.scale() > 12) {
                    errors.add("values[" + i + "]", "must be above 0 and below 10^24, at most 12 decimals");
                } else {
                    levels.add(v.stripTrailingZeros());
                }
            }
        }
        return new ArrayList<>(levels);
    }

    private void list(Context ctx) {
        Organisation org = organisation(ctx);
        YearMonth period = running(org);
        ctx.json(new AlertList(org.id(), transactions.readOnly(c -> {
            List<AlertView> views = new ArrayList<>();
            for (UsageAlerts.Alert a : alerts.list(c, org.id())) {
                views.add(new AlertView(a, period.toString(), alerts.fired(c, a.id(), period)));
            }
            return views;
        })));
    }

    private void delete(Context ctx) {
        Organisation org = organisation(ctx);
        UUID id = PathIds.uuid(ctx, "alertId", "Usage alert");
        UsageAlerts.Alert deleted = transactions.inTransaction(c -> {
            UsageAlerts.Alert a = alerts.find(c, org.id(), id).orElseThrow(() -> NotFoundException.of("Usage alert", id));
            alerts.delete(c, id);
            auditLog.record(c, new AuditEntry(Authenticator.caller(ctx).actor(), org.id(), "usage_alert.deleted",
                    "usage_alert", id.toString(), a, null, RequestIds.of(ctx)));
            return a;
        });
        ctx.json(new AlertView(deleted, running(org).toString(), List.of()));
    }
}
