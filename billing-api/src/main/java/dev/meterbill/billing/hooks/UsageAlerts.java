package dev.meterbill.billing.hooks;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.db.Sql;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.BillingException;
import dev.meterbill.billing.invoice.InvoiceGenerator;
import dev.meterbill.billing.invoice.InvoiceView;
import dev.meterbill.billing.invoice.UpcomingInvoiceView;
import dev.meterbill.billing.period.PeriodCalendar;
import dev.meterbill.billing.pricing.Money;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Usage alerts: stored levels of a metric's quantity in the running period (optionally of one project) or of
 * the period's estimated invoice amount (the upcoming invoice's own pricing), and the evaluation that fires each
 * level once per period as {@code usage.threshold_reached}. Every instance evaluates every 2 seconds; the firing
 * row's key (alert, period, level) makes a level fire once however many evaluate at once.
 */
public final class UsageAlerts {

    private static final Logger LOG = LoggerFactory.getLogger(UsageAlerts.class);

    /** An alert as stored and shown. */
    public record Alert(UUID id, UUID organisationId, UUID projectId, String metricName, String kind, BigDecimal budget,
                        List<Integer> percentages, List<BigDecimal> levels, String description, Instant createdAt) {}

    private static final String COLUMNS = "a.id, a.organisation_id, a.project_id, a.metric_name, a.kind, a.budget,"
            + " a.percentages, a.levels, a.description, a.created_at";

    private final Transactions transactions;
    private final InvoiceGenerator estimates;
    private final WebhookEvents events;
    private final AuditLog auditLog;
    private final Clock clock;

    public UsageAlerts(Transactions transactions, InvoiceGenerator estimates, WebhookEvents events, AuditLog auditLog,
                       Clock clock) {
        this.transactions = transactions;
        this.estimates = estimates;
        this.events = events;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    public Alert insert(Connection c, Alert a) throws SQLException {
        Sql.update(c, "INSERT INTO usage_alerts (id, organisation_id, project_id, metric_name, kind, budget, percentages,"
                + " levels, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", a.id(), a.organisationId(), a.projectId(),
                a.metricName(), a.kind(), a.budget(), a.percentages() == null ? null : Sql.array(c, "integer", a.percentages()),
                Sql.array(c, "numeric", a.levels()), a.description());
        return find(c, a.organisationId(), a.id()).orElseThrow();
    }

    public java.util.Optional<Alert> find(Connection c, UUID organisationId, UUID id) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM usage_alerts a WHERE a.id = ? AND a.organisation_id = ?"
                + " AND a.deleted_at IS NULL", UsageAlerts::alert, id, organisationId);
    }

    public List<Alert> list(Connection c, UUID organisationId) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM usage_alerts a WHERE a.organisation_id = ? AND a.deleted_at IS NULL"
                + " ORDER BY a.created_at, a.id", UsageAlerts::alert, organisationId);
    }

    public void delete(Connection c, UUID id) throws SQLException {
        Sql.update(c, "UPDATE usage_alerts SET deleted_at = now() WHERE id = ?", id);
    }

    /** The levels of an alert that fired in a period. */
    public List<BigDecimal> fired(Connection c, UUID alertId, YearMonth period) throws SQLException {
        return Sql.list(c, "SELECT level FROM usage_alert_firings WHERE alert_id = ? AND period = ? ORDER BY level",
                rs -> Money.canonical(rs.getBigDecimal(1)), alertId, period.toString());
    }

    /** An alert with the value it measures now, in its organisation's running period. */
    private record Measured(Alert alert, String timezone, BigDecimal quantity) {}

    /** Evaluates every alert; how many levels fired. */
    public int evaluate() {
        Instant now = clock.instant();
        List<Measured> alerts = transactions.readOnly(c -> Sql.list(c, "SELECT " + COLUMNS + ", o.timezone, ("
                + " SELECT coalesce(sum(u.sum_value), 0) FROM usage_aggregates u"
                + "  WHERE u.organisation_id = a.organisation_id AND u.metric_name = a.metric_name"
                + "    AND (a.project_id IS NULL OR u.project_id = a.project_id)"
                + "    AND u.period = to_char(CAST(? AS timestamptz) AT TIME ZONE o.timezone, 'YYYY-MM'))"
                + " FROM usage_alerts a JOIN organisations o ON o.id = a.organisation_id WHERE a.deleted_at IS NULL"
                + " ORDER BY a.organisation_id, a.id",
                rs -> new Measured(alert(rs), rs.getString(11), rs.getBigDecimal(12)), now.atOffset(ZoneOffset.UTC)));
        int fired = 0;
        Map<String, UpcomingInvoiceView> estimated = new LinkedHashMap<>();
        for (Measured m : alerts) {
            Alert a = m.alert();
            YearMonth period = PeriodCalendar.periodOf(now, ZoneId.of(m.timezone()));
            BigDecimal value;
            if (a.kind().equals("quantity")) {
                value = m.quantity();
            } else {
                String key = a.organisationId() + "/" + period;
                UpcomingInvoiceView estimate = estimated.get(key);
                if (estimate == null && !estimated.containsKey(key)) {
                    try {
                        estimate = estimates.estimate(a.organisationId(), period);
                    } catch (BillingException e) {
                        estimate = null; // no plan in force, or invoiced already: nothing to measure
                    }
                    estimated.put(key, estimate);
                }
                if (estimate == null) {
                    continue;
                }
                value = a.metricName() == null ? estimate.subtotal() : estimate.lines().stream()
                        .filter(l -> a.metricName().equals(l.metricName())).map(InvoiceView.Line::amount)
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
            }
            List<BigDecimal> reached = a.levels().stream().filter(level -> value.compareTo(level) >= 0).toList();
            if (!reached.isEmpty()) {
                try {
                    fired += fire(a, period, value, reached);
                } catch (RuntimeException e) {
                    // one organisation's alert never stops the others
                    LOG.warn("Usage alert {} of organisation {} not evaluated: {}", a.id(), a.organisationId(), e.toString());
                }
            }
        }
        return fired;
    }

    private int fire(Alert a, YearMonth period, BigDecimal value, List<BigDecimal> reached) {
        return transactions.inOwnTransaction(c -> {
            int count = 0;
            for (BigDecimal level : reached) {
                boolean first = Sql.update(c, "INSERT INTO usage_alert_firings (alert_id, period, level, value)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", a.id(), period.toString(), level, value) == 1;
                if (!first) {
                    continue;
                }
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("alertId", a.id());
                data.put("organisationId", a.organisationId());
                data.put("projectId", a.projectId());
                data.put("metricName", a.metricName());
                data.put("kind", a.kind());
                data.put("period", period.toString());
                data.put("level", Money.canonical(level));
                data.put("budget", a.budget() == null ? null : Money.canonical(a.budget()));
                data.put("percentage", percentageOf(a, level));
                data.put("value", Money.canonical(value));
                String eventId = events.emit(c, a.organisationId(), EventTypes.THRESHOLD_REACHED, data, null);
                Sql.update(c, "UPDATE usage_alert_firings SET event_id = ? WHERE alert_id = ? AND period = ? AND level = ?",
                        eventId, a.id(), period.toString(), level);
                auditLog.record(c, new AuditEntry("system:usage-alerts", a.organisationId(),
                        "usage_alert.threshold_reached", "usage_alert", a.id().toString(), null, data, null));
                count++;
            }
            return count;
        });
    }

    private static Integer percentageOf(Alert a, BigDecimal level) {
        if (a.percentages() == null) {
            return null;
        }
        int i = a.levels().indexOf(level);
        return i < 0 ? null : a.percentages().get(i);
    }

    private static Alert alert(ResultSet rs) throws SQLException {
        Array percentages = rs.getArray(7);
        Array levels = rs.getArray(8);
        List<BigDecimal> levelList = new ArrayList<>();
        for (BigDecimal level : (BigDecimal[]) levels.getArray()) {
            levelList.add(Money.canonical(level));
        }
        return new Alert(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getString(4), rs.getString(5), Money.canonical(rs.getBigDecimal(6)),
                percentages == null ? null : Arrays.asList((Integer[]) percentages.getArray()), levelList,
                rs.getString(9), Sql.instant(rs, 10));
    }
}
