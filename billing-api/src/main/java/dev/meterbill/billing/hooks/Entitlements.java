package dev.meterbill.billing.hooks;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
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
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Entitlements: what a project may still use of a metric in the running period, from the limit its
 * organisation's plan puts on the metric's charge and the live usage (the organisation's, for a plan priced per
 * organisation), or the organisation's own limit. Live usage is refreshed every quarter of a second (the aggregation
 * job writes every half second) and the terms every five seconds, in the background, so that our users can ask on
 * every request. Metering never stops at a limit: enforcing it is our user's choice.
 */
public final class Entitlements {

    /** The answer of {@code GET /entitlements}. */
    public record Answer(String metric, String period, boolean allowed, BigDecimal used, BigDecimal limit,
                         BigDecimal remaining, String limitKind, Instant resetsAt) {}

    /** The organisation's terms for a metric; limit null: unlimited. */
    private record Terms(String timezone, boolean perOrganisation, String aggregation, BigDecimal limit,
                         String limitKind) {}

    private record TermsKey(UUID organisationId, String metric) {}

    /** What a usage query needs: the organisation or project, how the charge aggregates, the metric and period. */
    private record UsageKey(UUID scope, boolean perOrganisation, String aggregation, String metric, YearMonth period) {}

    static final Duration TERMS_TTL = Duration.ofSeconds(5);
    static final Duration USAGE_TTL = Duration.ofMillis(250);
    /** Past these, a cached answer is not served at all: the request waits for the database (or fails with it). */
    static final Duration TERMS_MAX_AGE = Duration.ofSeconds(10);
    static final Duration USAGE_MAX_AGE = Duration.ofSeconds(1);
    private static final int MAX_CACHED = 100_000;
    /**
     * The limit in force and its kind, over a plan charge {@code ch} and the organisation's {@code limit_overrides} row
     * {@code lo} (both left-joined): the organisation's own, even one without a limit, over the charge's.
     */
    private static final String LIMIT_IN_FORCE =
            "CASE WHEN lo.organisation_id IS NULL THEN ch.limit_per_period ELSE lo.limit_per_period END";
    private static final String KIND_IN_FORCE =
            "CASE WHEN lo.organisation_id IS NULL THEN ch.limit_kind ELSE lo.limit_kind END";

    private final Transactions transactions;
    private final WebhookEvents events;
    private final AuditLog auditLog;
    private final Clock clock;
    private final LoadingCache<TermsKey, Terms> terms;
    private final LoadingCache<UsageKey, BigDecimal> used;
    /** Reloads of both caches (and of EntitlementHandler's project keys): they wait for the database. */
    private final ThreadPoolExecutor refresher = refresher();

    /**
     * Both caches refresh in the background once an entry is older than its TTL, and serve the entry they have
     * meanwhile: a request of our user's API that asks often never waits for the database. One that asks rarely
     * does, once the entry is past its maximum age (a second for usage), and so never gets an older answer.
     */
    public Entitlements(Transactions transactions, WebhookEvents events, AuditLog auditLog, Clock clock) {
        this.transactions = transactions;
        this.events = events;
        this.auditLog = auditLog;
        this.clock = clock;
        this.terms = cache(TERMS_TTL, TERMS_MAX_AGE,
                key -> transactions.readOnly(c -> load(c, key.organisationId(), key.metric(), clock.instant())));
        this.used = cache(USAGE_TTL, USAGE_MAX_AGE, key -> transactions.readOnly(c -> usage(c, key)));
    }

    /**
     * A cache of at most {@value #MAX_CACHED} entries that reloads an entry in the background once it is older than
     * {@code refresh}, serving it meanwhile, and drops it at {@code maxAge}. Reloads run on two threads of their own
     * (they wait for the database), which end when idle.
     */
    <K, V> LoadingCache<K, V> cache(Duration refresh, Duration maxAge, CacheLoader<K, V> loader) {
        return Caffeine.newBuilder().maximumSize(MAX_CACHED).refreshAfterWrite(refresh).expireAfterWrite(maxAge)
                .executor(refresher).build(loader);
    }

    private static ThreadPoolExecutor refresher() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "entitlement-refresh");
            thread.setDaemon(true);
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** The entitlement of a project of {@code organisationId} to {@code metric}; caches expire by the wall clock. */
    public Answer check(UUID organisationId, UUID projectId, String metric) {
        Instant now = clock.instant();
        Terms t = terms.get(new TermsKey(organisationId, metric));
        YearMonth period = PeriodCalendar.periodOf(now, ZoneId.of(t.timezone()));
        BigDecimal u = used.get(new UsageKey(t.perOrganisation() ? organisationId : projectId, t.perOrganisation(),
                t.aggregation(), metric, period));
        Instant resets = PeriodCalendar.endOf(period, ZoneId.of(t.timezone()));
        BigDecimal remaining = t.limit() == null ? null : t.limit().subtract(u).max(BigDecimal.ZERO);
        boolean allowed = t.limit() == null || "soft".equals(t.limitKind()) || u.compareTo(t.limit()) < 0;
        return new Answer(metric, period.toString(), allowed, Money.canonical(u), t.limit(),
                remaining == null ? null : Money.canonical(remaining), t.limitKind(), resets);
    }

    /**
     * The terms in force: the limit of the organisation's own (a {@code limit_overrides} row, even one without a
     * limit) over its plan charge's; the plan's scope; no subscription in force: unlimited.
     */
    private Terms load(Connection c, UUID organisationId, String metric, Instant now) throws SQLException {
        String timezone = Sql.one(c, "SELECT timezone FROM organisations WHERE id = ?", rs -> rs.getString(1),
                organisationId).orElseThrow();
        LocalDate today = now.atZone(ZoneId.of(timezone)).toLocalDate();
        return Sql.one(c, """
                SELECT p.pricing_scope, coalesce(ch.aggregation, 'sum'), %s, %s
                  FROM (SELECT pricing_plan_id, ends_on FROM subscriptions WHERE organisation_id = ? AND starts_on <= ?
                         ORDER BY starts_on DESC LIMIT 1) s
                  JOIN pricing_plans p ON p.id = s.pricing_plan_id
                  LEFT JOIN plan_charges ch ON ch.pricing_plan_id = p.id AND ch.metric_name = ?
                  LEFT JOIN limit_overrides lo ON lo.organisation_id = ? AND lo.metric_name = ?
                 WHERE s.ends_on IS NULL OR s.ends_on > ?
                """.formatted(LIMIT_IN_FORCE, KIND_IN_FORCE),
                rs -> new Terms(timezone, "organisation".equals(rs.getString(1)), rs.getString(2),
                        Money.canonical(rs.getBigDecimal(3)), rs.getString(4)),
                organisationId, today, metric, organisationId, metric, today)
                .orElse(new Terms(timezone, true, "sum", null, null));
    }

    /** Forgets this instance's cached terms of an organisation (its limits changed). */
    public void forget(UUID organisationId) {
        terms.asMap().keySet().removeIf(key -> key.organisationId().equals(organisationId));
    }

    /** The live quantity of the metric in the period, by the charge's aggregation, for the organisation or project. */
    private static BigDecimal usage(Connection c, UsageKey key) throws SQLException {
        String column = key.perOrganisation() ? "organisation_id" : "project_id";
        return Sql.one(c, "SELECT coalesce(" + quantity(key.aggregation()) + ", 0) FROM usage_aggregates u WHERE u."
                + column + " = ? AND u.metric_name = ? AND u.period = ?", rs -> rs.getBigDecimal(1), key.scope(),
                key.metric(), key.period().toString()).orElse(BigDecimal.ZERO);
    }

    /** A metric's quantity by a charge's aggregation, over the {@code usage_aggregates} rows {@code u} of a period. */
    private static String quantity(String aggregation) {
        return switch (aggregation) {
            case "count" -> "sum(u.event_count)";
            case "max" -> "max(u.max_value)";
            case "latest" -> "(array_agg(u.latest_value ORDER BY u.latest_at DESC))[1]";
            default -> "sum(u.sum_value)";
        };
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
                , terms AS (
                  -- every metric the plan prices or the organisation limits, with the limit in force (see load)
                  SELECT i.organisation_id, i.pricing_plan_id, i.period, m.metric_name,
                         coalesce(ch.aggregation, 'sum') AS aggregation, %s AS limit_per_period, %s AS limit_kind
                    FROM inforce i
                    CROSS JOIN LATERAL (SELECT metric_name FROM plan_charges WHERE pricing_plan_id = i.pricing_plan_id
                                        UNION
                                        SELECT metric_name FROM limit_overrides WHERE organisation_id = i.organisation_id) m
                    LEFT JOIN plan_charges ch ON ch.pricing_plan_id = i.pricing_plan_id AND ch.metric_name = m.metric_name
                    LEFT JOIN limit_overrides lo ON lo.organisation_id = i.organisation_id
                                                AND lo.metric_name = m.metric_name
                   WHERE i.ends_on IS NULL OR i.ends_on > i.today)
                , measured AS (
                  SELECT t.organisation_id, CASE WHEN p.pricing_scope = 'organisation' THEN t.organisation_id
                         ELSE u.project_id END AS scope_id, t.metric_name, t.period, t.limit_per_period,
                         CASE t.aggregation WHEN 'count' THEN %s WHEN 'max' THEN %s WHEN 'latest' THEN %s
                              ELSE %s END AS used
                    FROM terms t
                    JOIN pricing_plans p ON p.id = t.pricing_plan_id
                    JOIN usage_aggregates u ON u.organisation_id = t.organisation_id AND u.metric_name = t.metric_name
                                           AND u.period = t.period
                   WHERE t.limit_kind = 'hard'
                   GROUP BY t.organisation_id, 2, t.metric_name, t.period, t.limit_per_period, t.aggregation)
                SELECT m.organisation_id, m.scope_id, m.metric_name, m.period, m.limit_per_period, m.used
                  FROM measured m
                 WHERE m.used >= m.limit_per_period
                   AND NOT EXISTS (SELECT 1 FROM entitlement_exhaustions e WHERE e.scope_id = m.scope_id
                                      AND e.metric_name = m.metric_name AND e.period = m.period)
                """.formatted(LIMIT_IN_FORCE, KIND_IN_FORCE, quantity("count"), quantity("max"), quantity("latest"),
                quantity("sum")), rs -> new Reached(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
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
