package dev.meterbill.billing.metric;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Sql;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.ConflictException;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.error.ForbiddenException;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.idempotency.Idempotency;
import dev.meterbill.events.EventValidator;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /metrics}: the operator's metric definitions (how the events of a metric name are aggregated, filtered and
 * grouped), readable by every caller. Each change is a new version; each write also writes an outbox row in the same
 * transaction, which {@link MetricDefinitionRelay} publishes to the compacted topic the aggregation job reads.
 */
public final class MetricDefinitions {

    private static final String BASE = "/api/v1/metrics";
    private static final String ENTITY = "metric_definition";
    private static final String COLUMNS = "key, version, display_name, unit, event_metric, aggregation, unique_property, "
            + "CAST(filters AS TEXT), group_by, effective_from, created_at";
    private static final TypeReference<List<MetricDefinition.Filter>> FILTERS = new TypeReference<>() {};

    /** Response of {@code GET /metrics}. */
    public record MetricList(List<MetricDefinition> metrics) {}

    private final Transactions transactions;
    private final AuditLog auditLog;
    private final JsonBody jsonBody;
    private final Idempotency idempotency;
    private final ObjectMapper json;
    private final Clock clock;

    public MetricDefinitions(Transactions transactions, AuditLog auditLog, JsonBody jsonBody, Idempotency idempotency,
                             ObjectMapper json, Clock clock) {
        this.transactions = transactions;
        this.auditLog = auditLog;
        this.jsonBody = jsonBody;
        this.idempotency = idempotency;
        this.json = json;
        this.clock = clock;
    }

    public void register(JavalinDefaultRoutingApi routes) {
        routes.post(BASE, idempotency.wrap(this::create));
        routes.get(BASE, this::list);
        routes.get(BASE + "/{key}", this::get);
        routes.patch(BASE + "/{key}", idempotency.wrap(this::change));
    }

    private void create(Context ctx) {
        Caller caller = operatorOnly(ctx);
        MetricRequest request = jsonBody.read(ctx, MetricRequest.class);
        MetricDefinition.Version first = MetricRules.first(request, clock.instant());
        MetricDefinition created = transactions.inTransaction(c -> {
            if (Sql.exists(c, "SELECT 1 FROM metric_definitions WHERE key = ?", request.key())) {
                throw new ConflictException("A metric definition " + request.key() + " exists: change it with PATCH "
                        + BASE + "/" + request.key());
            }
            insert(c, request.key(), first);
            MetricDefinition saved = new MetricDefinition(request.key(), List.of(first));
            auditLog.record(c, new AuditEntry(caller.actor(), null, ENTITY + ".created", ENTITY, request.key(), null,
                    saved, RequestIds.of(ctx)));
            return saved;
        });
        ctx.status(HttpStatus.CREATED).json(created);
    }

    private void change(Context ctx) {
        Caller caller = operatorOnly(ctx);
        String key = key(ctx);
        MetricRequest request = jsonBody.read(ctx, MetricRequest.class);
        MetricDefinition changed = transactions.inTransaction(c -> {
            // the newest version, locked: two changes at once make versions n+1 and n+2, never two n+1
            MetricDefinition before = find(c, key, true).orElseThrow(() -> notFound(key));
            MetricDefinition.Version next = MetricRules.next(before.current(), request, clock.instant());
            insert(c, key, next);
            List<MetricDefinition.Version> versions = new ArrayList<>(before.versions());
            versions.add(next);
            MetricDefinition after = new MetricDefinition(key, List.copyOf(versions));
            auditLog.record(c, new AuditEntry(caller.actor(), null, ENTITY + ".version_created", ENTITY, key,
                    before.current(), next, RequestIds.of(ctx)));
            return after;
        });
        ctx.json(changed);
    }

    private void list(Context ctx) {
        ctx.json(new MetricList(transactions.readOnly(c -> all(c, null))));
    }

    private void get(Context ctx) {
        String key = key(ctx);
        ctx.json(transactions.readOnly(c -> find(c, key, false)).orElseThrow(() -> notFound(key)));
    }

    /** Every version of {@code key}, oldest first, or empty; {@code lock} locks its rows for a change. */
    Optional<MetricDefinition> find(Connection c, String key, boolean lock) throws SQLException {
        if (lock) {
            Sql.list(c, "SELECT 1 FROM metric_definitions WHERE key = ? FOR UPDATE", rs -> 1, key);
        }
        return all(c, key).stream().findFirst();
    }

    private List<MetricDefinition> all(Connection c, String key) throws SQLException {
        List<Map.Entry<String, MetricDefinition.Version>> rows = Sql.list(c, "SELECT " + COLUMNS
                + " FROM metric_definitions" + (key == null ? "" : " WHERE key = ?") + " ORDER BY key, version",
                rs -> Map.entry(rs.getString(1), version(rs)), key == null ? new Object[0] : new Object[] {key});
        Map<String, List<MetricDefinition.Version>> byKey = new LinkedHashMap<>();
        for (Map.Entry<String, MetricDefinition.Version> row : rows) {
            byKey.computeIfAbsent(row.getKey(), k -> new ArrayList<>()).add(row.getValue());
        }
        List<MetricDefinition> definitions = new ArrayList<>();
        byKey.forEach((k, versions) -> definitions.add(new MetricDefinition(k, List.copyOf(versions))));
        return definitions;
    }

    private void insert(Connection c, String key, MetricDefinition.Version v) throws SQLException {
        Sql.update(c, """
                INSERT INTO metric_definitions (key, version, display_name, unit, event_metric, aggregation,
                    unique_property, filters, group_by, effective_from, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?)""", key, v.version(), v.displayName(), v.unit(),
                v.eventMetric(), v.aggregation(), v.uniqueProperty(), text(v.filters()),
                Sql.array(c, "text", v.groupBy()), java.sql.Timestamp.from(v.effectiveFrom()),
                java.sql.Timestamp.from(v.createdAt()));
        Sql.update(c, "INSERT INTO metric_definition_outbox (key) VALUES (?)", key);
    }

    private MetricDefinition.Version version(ResultSet rs) throws SQLException {
        try {
            return new MetricDefinition.Version(rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), json.readValue(rs.getString(8), FILTERS),
                    List.of((String[]) rs.getArray(9).getArray()), Sql.instant(rs, 10), Sql.instant(rs, 11));
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable filters of metric definition " + rs.getString(1), e);
        }
    }

    private String text(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("filters are always writable", e);
        }
    }

    private static Caller operatorOnly(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        if (!caller.isOperator()) {
            throw new ForbiddenException("Only the operator defines metrics");
        }
        return caller;
    }

    private static String key(Context ctx) {
        String key = ctx.pathParam("key");
        if (!EventValidator.METRIC_NAME.matcher(key).matches()) {
            new FieldErrors().add("key", "must match " + EventValidator.METRIC_NAME.pattern()).throwIfAny();
        }
        return key;
    }

    private static NotFoundException notFound(String key) {
        return new NotFoundException("No metric definition " + key);
    }
}
