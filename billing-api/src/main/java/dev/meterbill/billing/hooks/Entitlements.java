package dev.meterbill.billing.hooks;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.db.Sql;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.period.PeriodCalendar;
import dev.meterbill.billing.pricing.Money;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entitlements: what a project may still use of a metric in the running period, from the limit its
 * organisation's plan puts on the metric's charge and the live usage (the organisation's, for a plan priced per
 * organisation). Answers are cached for a quarter of a second (the aggregation job writes every half second) and
 * a plan's terms for ten seconds, so that our users can ask on every request. Metering never stops at a limit:
 * enforcing it is our user's choice.
 */
public final class Entitlements {

    /** The answer of {@code GET /entitlements}. */
    public record Answer(String metric, String period, boolean allowed, BigDecimal used, BigDecimal limit,
                         BigDecimal remaining, String limitKind, Instant resetsAt) {}

    /** The organisation's terms for a metric in a period; limit null: unlimited. */
    private record Terms(UUID organisationId, String timezone, boolean perOrganisation, String aggregation,
                         BigDecimal limit, String limitKind, long expiresNanos) {}

    private record Used(BigDecimal value, long expiresNanos) {}

    static final Duration TERMS_TTL = Duration.ofSeconds(10);
    static final Duration USAGE_TTL = Duration.ofMillis(250);
    private static final int MAX_CACHED = 100_000;

    private final Transactions transactions;
    private final WebhookEvents events;
    private final AuditLog auditLog;
    private final Clock clock;
    private final Map<String, Terms> terms = new ConcurrentHashMap<>();
    private final Map<String, Used> used = new ConcurrentHashMap<>();

    public Entitlements(Transactions transactions, WebhookEvents events, AuditLog auditLog, Clock clock) {
        this.transactions = transactions;
        this.events = events;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** The entitlement of a project of {@code organisationId} to {@code metric}; caches expire by the wall clock. */
    public Answer check(UUID organisationId, UUID projectId, String metric) {
        Instant now = clock.instant();
        String termsKey = organisationId + "/" + metric;
        long tick = System.nanoTime();
        Terms t = terms.get(termsKey);
        if (t == null || t.expiresNanos() - tick < 0) {
            t = transactions.readOnly(c -> load(c, organisationId, metric, now));
            terms.put(termsKey, t);
        }
        UUID scope = t.perOrganisation() ? organisationId : projectId;
        YearMonth period = PeriodCalendar.periodOf(now, ZoneId.of(t.timezone()));
        String usedKey = scope + "/" + metric + "/" + period;
        Used u = used.get(usedKey);
        if (u == null || u.expiresNanos() - tick < 0) {
            Terms current = t;
            BigDecimal value = transactions.readOnly(c -> usage(c, current, scope, metric, period));
            u = new Used(value, tick + USAGE_TTL.toNanos());
            if (used.size() > MAX_CACHED) {
                used.clear();
                terms.clear();
            }
            used.put(usedKey, u);
        }
        Instant resets = PeriodCalendar.endOf(period, ZoneId.of(t.timezone()));
        BigDecimal remaining = t.limit() == null ? null : t.limit().subtract(u.value()).max(BigDecimal.ZERO);
        boolean allowed = t.limit() == null || "soft".equals(t.limitKind()) || u.value().compareTo(t.limit()) < 0;
        return new Answer(metric, period.toString(), allowed, Money.canonical(u.value()), t.limit(),
                remaining == null ? null : Money.canonical(remaining), t.limitKind(), resets);
    }

    private Terms load(Connection c, UUID organisationId, String metric, Instant now) throws SQLException {
        String timezone = Sql.one(c, "SELECT timezone FROM organisations WHERE id = ?", rs -> rs.getString(1),
                organisationId).orElseThrow();
        Optional<Object[]> charge = Sql.one(c, """
                SELECT p.pricing_scope, ch.aggregation, ch.limit_per_period, ch.limit_kind
                  FROM (SELECT pricing_plan_id, ends_on FROM subscriptions WHERE organisation_id = ? AND starts_on <= ?
                         ORDER BY starts_on DESC LIMIT 1) s
                  JOIN pricing_plans p ON p.id = s.pricing_plan_id
                  JOIN plan_charges ch ON ch.pricing_plan_id = p.id AND ch.metric_name = ?
                 WHERE s.ends_on IS NULL OR s.ends_on > ?
                """, rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getBigDecimal(3), rs.getString(4)},
                organisationId, now.atZone(ZoneId.of(timezone)).toLocalDate(), metric,
                now.atZone(ZoneId.of(timezone)).toLocalDate());
        long expires = System.nanoTime() + TERMS_TTL.toNanos();
        if (charge.isEmpty()) {
            return new Terms(organisationId, timezone, true, "sum", null, null, expires);
        }
        Object[] row = charge.get();
        return new Terms(organisationId, timezone, "organisation".equals(row[0]), (String) row[1],
                Money.canonical((BigDecimal) row[2]), (String) row[3], expires);
    }

    /** The live quantity of the metric in the period, by the charge's aggregation, for the organisation or project. */
    private static BigDecimal usage(Connection c, Terms t, UUID scope, String metric, YearMonth period)
            throws SQLException {
        String column = t.perOrganisation() ? "organisation_id" : "project_id";
        String quantity = switch (t.aggregation()) {
            case "count" -> "coalesce(sum(event_count), 0)";
            case "max" -> "coalesce(max(max_value), 0)";
            case "latest" -> "coalesce((array_agg(latest_value ORDER BY latest_at DESC))[1], 0)";
            default -> "coalesce(sum(sum_value), 0)";
        };
        return Sql.one(c, "SELECT " + quantity + " FROM usage_aggregates WHERE " + column + " = ? AND metric_name = ?"
                + " AND period = ?", rs -> rs.getBigDecimal(1), scope, metric, period.toString()).orElse(BigDecimal.ZERO);
    }

    /** A hard limit reached in a scope, for the periodic evaluation. */
    private record Reached(UUID organisationId, UUID scopeId, String metric, String period, BigDecimal limit,
                           BigDecimal used) {}

    /** Fires {@code entitlement.exhausted} once per scope, metric and period whose hard limit is reached. */
    public int evaluateExhaustion() {
        Instant now = clock.instant();
        List<Reached> reached = transactions.readOnly(c -> Sql.list(c, """
                WITH inforce AS (
                  SELECT DISTINCT ON (s.organisation_id) s.organisation_id, s.pricing_plan_id, s.ends_on,
                         to_char(CAST(? AS timestamptz) AT TIME ZONE o.timezone, 'YYYY-MM') AS period,
                         (CAST(? AS timestamptz) AT TIME ZONE o.timezone)::date AS today
                    FROM subscriptions s JOIN organisations o ON o.id = s.organisation_id
                   WHERE s.starts_on <= (CAST(? AS timestamptz) AT TIME ZONE o.timezone)::date
                   ORDER BY s.organisation_id, s.starts_on DESC)
                , measured AS (
                  SELECT i.organisation_id, CASE WHEN p.pricing_scope = 'organisation' THEN i.organisation_id
                         ELSE u.project_id END AS scope_id, ch.metric_name, i.period, ch.limit_per_period,
                         CASE ch.aggregation WHEN 'count' THEN sum(u.event_count) WHEN 'max' THEN max(u.max_value)
                              WHEN 'latest' THEN (array_agg(u.latest_value ORDER BY u.latest_at DESC))[1]
                              ELSE sum(u.sum_value) END AS used
                    FROM inforce i
                    JOIN pricing_plans p ON p.id = i.pricing_plan_id
                    JOIN plan_charges ch ON ch.pricing_plan_id = p.id AND ch.limit_kind = 'hard'
                    JOIN usage_aggregates u ON u.organisation_id = i.organisation_id AND u.metric_name = ch.metric_name
                                           AND u.period = i.period
                   WHERE i.ends_on IS NULL OR i.ends_on > i.today
                   GROUP BY i.organisation_id, 2, ch.metric_name, i.period, ch.limit_per_period, ch.aggregation)
                SELECT m.organisation_id, m.scope_id, m.metric_name, m.period, m.limit_per_period, m.used
                  FROM measured m
                 WHERE m.used >= m.limit_per_period
                   AND NOT EXISTS (SELECT 1 FROM entitlement_exhaustions e WHERE e.scope_id = m.scope_id
                                      AND e.metric_name = m.metric_name AND e.period = m.period)
                """, rs -> new Reached(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), Money.canonical(rs.getBigDecimal(5)), Money.canonical(rs.getBigDecimal(6))),
                now.atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC)));
        int fired = 0;
        for (Reached r : reached) {
            fired += transactions.inOwnTransaction(c -> {
                if (Sql.update(c, "INSERT INTO entitlement_exhaustions (organisation_id, scope_id, metric_name, period,"
                        + " used) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", r.organisationId(), r.scopeId(),
                        r.metric(), r.period(), r.used()) == 0) {
                    return 0;
                }
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("organisationId", r.organisationId());
                data.put("scopeId", r.scopeId());
                data.put("metric", r.metric());
                data.put("period", r.period());
                data.put("limit", r.limit());
                data.put("used", r.used());
                String eventId = events.emit(c, r.organisationId(), EventTypes.ENTITLEMENT_EXHAUSTED, data, null);
                Sql.update(c, "UPDATE entitlement_exhaustions SET event_id = ? WHERE scope_id = ? AND metric_name = ?"
                        + " AND period = ?", eventId, r.scopeId(), r.metric(), r.period());
                auditLog.record(c, new AuditEntry("system:entitlements", r.organisationId(), "entitlement.exhausted",
                        "entitlement", r.scopeId() + "/" + r.metric(), null, data, null));
                return 1;
            });
        }
        return fired;
    }
}
