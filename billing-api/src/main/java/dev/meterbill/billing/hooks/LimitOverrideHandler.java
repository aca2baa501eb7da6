package dev.meterbill.billing.hooks;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Sql;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.error.ForbiddenException;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.idempotency.Idempotency;
import dev.meterbill.billing.organisation.Organisation;
import dev.meterbill.billing.organisation.OrganisationPaths;
import dev.meterbill.billing.organisation.OrganisationRepository;
import dev.meterbill.billing.period.PeriodCalendar;
import dev.meterbill.billing.plan.PlanValidator;
import dev.meterbill.billing.pricing.Money;
import dev.meterbill.events.EventValidator;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /organisations/{orgId}/subscription/limits}: an organisation's own limit on a metric, over the one its plan's
 * charge carries (a customer given more headroom, a cap on a metric the plan leaves unlimited, or no limit at all).
 * The operator sets and removes them, the organisation reads them. In force at once: this instance forgets its cached
 * terms of the organisation, other instances within {@link Entitlements#TERMS_MAX_AGE}. A change re-arms
 * {@code entitlement.exhausted} for the running period, so a raised limit reached again is reported again.
 */
public final class LimitOverrideHandler {

    private static final String BASE = "/api/v1/organisations/{orgId}/subscription/limits";

    /** Body of {@code PUT …/limits/{metric}}: a limit and its kind (hard by default), or {@code "limit": null}: none. */
    public record LimitRequest(BigDecimal limit, String limitKind) {}

    /** An organisation's limit on a metric; limit and limitKind null: unlimited. */
    public record LimitOverride(UUID organisationId, String metric, BigDecimal limit, String limitKind,
                                Instant updatedAt) {}

    public record LimitOverrideList(UUID organisationId, List<LimitOverride> limits) {}

    private final Transactions transactions;
    private final OrganisationRepository organisations;
    private final Entitlements entitlements;
    private final AuditLog auditLog;
    private final JsonBody jsonBody;
    private final Idempotency idempotency;
    private final Clock clock;

    public LimitOverrideHandler(Transactions transactions, OrganisationRepository organisations,
                                Entitlements entitlements, AuditLog auditLog, JsonBody jsonBody,
                                Idempotency idempotency, Clock clock) {
        this.clock = clock;
        this.transactions = transactions;
        this.organisations = organisations;
        this.entitlements = entitlements;
        this.auditLog = auditLog;
        this.jsonBody = jsonBody;
        this.idempotency = idempotency;
    }

    public void register(JavalinDefaultRoutingApi routes) {
        routes.get(BASE, this::list);
        routes.put(BASE + "/{metric}", idempotency.wrap(this::put));
        routes.delete(BASE + "/{metric}", idempotency.wrap(this::delete));
    }

    private void list(Context ctx) {
        Organisation org = OrganisationPaths.visible(ctx, Authenticator.caller(ctx), transactions, organisations);
        ctx.json(new LimitOverrideList(org.id(), transactions.readOnly(c -> Sql.list(c, "SELECT " + COLUMNS
                + " FROM limit_overrides WHERE organisation_id = ? ORDER BY metric_name", LimitOverrideHandler::row,
                org.id()))));
    }

    private void put(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        Organisation org = operatorOnly(ctx, caller);
        String metric = metric(ctx);
        LimitRequest body = jsonBody.read(ctx, LimitRequest.class);
        FieldErrors errors = new FieldErrors();
        if (body.limit() != null && !PlanValidator.validLimit(body.limit())) {
            errors.add("limit", PlanValidator.LIMIT_RULE + ", or null for no limit");
        }
        if (!PlanValidator.validLimitKind(body.limitKind(), body.limit())) {
            errors.add("limitKind", PlanValidator.LIMIT_KIND_RULE);
        }
        errors.throwIfAny();
        BigDecimal limit = body.limit() == null ? null : body.limit().stripTrailingZeros();
        String kind = limit == null ? null : body.limitKind() == null ? "hard" : body.limitKind();
        LimitOverride saved = transactions.inTransaction(c -> {
            Optional<LimitOverride> before = find(c, org.id(), metric);
            LimitOverride after = Sql.one(c, """
                    INSERT INTO limit_overrides (organisation_id, metric_name, limit_per_period, limit_kind)
                    VALUES (?, ?, ?, ?)
                    ON CONFLICT (organisation_id, metric_name) DO UPDATE
                       SET limit_per_period = EXCLUDED.limit_per_period, limit_kind = EXCLUDED.limit_kind,
                           updated_at = now()
                    RETURNING\s""" + COLUMNS, LimitOverrideHandler::row, org.id(), metric, limit, kind).orElseThrow();
            rearm(c, org, metric);
            auditLog.record(c, new AuditEntry(caller.actor(), org.id(), "subscription.limit_overridden",
                    "limit_override", org.id() + "/" + metric, before.orElse(null), after, RequestIds.of(ctx)));
            return after;
        });
        entitlements.forget(org.id());
        ctx.json(saved);
    }

    private void delete(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        Organisation org = operatorOnly(ctx, caller);
        String metric = metric(ctx);
        LimitOverride removed = transactions.inTransaction(c -> {
            LimitOverride before = find(c, org.id(), metric)
                    .orElseThrow(() -> new NotFoundException("Organisation " + org.id() + " has no limit of its own on "
                            + metric));
            Sql.update(c, "DELETE FROM limit_overrides WHERE organisation_id = ? AND metric_name = ?", org.id(), metric);
            rearm(c, org, metric);
            auditLog.record(c, new AuditEntry(caller.actor(), org.id(), "subscription.limit_override_removed",
                    "limit_override", org.id() + "/" + metric, before, null, RequestIds.of(ctx)));
            return before;
        });
        entitlements.forget(org.id());
        ctx.json(removed);
    }

    private Organisation operatorOnly(Context ctx, Caller caller) {
        Organisation org = OrganisationPaths.visible(ctx, caller, transactions, organisations);
        if (!caller.isOperator()) {
            throw new ForbiddenException("Only the operator changes an organisation's limits");
        }
        return org;
    }

    private static String metric(Context ctx) {
        String metric = ctx.pathParam("metric");
        if (!EventValidator.METRIC_NAME.matcher(metric).matches()) {
            new FieldErrors().add("metric", "must match " + EventValidator.METRIC_NAME.pattern()).throwIfAny();
        }
        return metric;
    }

    /** The metric's exhaustions recorded in the running period go: the new limit is judged anew. */
    private void rearm(Connection c, Organisation org, String metric) throws SQLException {
        Instant now = clock.instant();
        Sql.update(c, "DELETE FROM entitlement_exhaustions WHERE organisation_id = ? AND metric_name = ? AND period = ?",
                org.id(), metric, PeriodCalendar.periodOf(now, ZoneId.of(org.asOf(now).timezone())).toString());
    }

    private static final String COLUMNS = "organisation_id, metric_name, limit_per_period, limit_kind, updated_at";

    private static Optional<LimitOverride> find(Connection c, UUID organisationId, String metric) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM limit_overrides WHERE organisation_id = ? AND metric_name = ?",
                LimitOverrideHandler::row, organisationId, metric);
    }

    private static LimitOverride row(ResultSet rs) throws SQLException {
        BigDecimal limit = rs.getBigDecimal(3);
        return new LimitOverride(rs.getObject(1, UUID.class), rs.getString(2),
                limit == null ? null : Money.canonical(limit), rs.getString(4),
                rs.getTimestamp(5).toInstant());
    }
}
