package dev.meterbill.billing.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.billing.db.Sql;
import dev.meterbill.billing.http.Json;
import dev.meterbill.billing.pricing.Aggregation;
import dev.meterbill.billing.pricing.ChargeBasics;
import dev.meterbill.billing.pricing.ChargeColumns;
import dev.meterbill.billing.pricing.ChargeDefinition;
import dev.meterbill.billing.pricing.ChargeModel;
import dev.meterbill.billing.pricing.DimensionPrice;
import dev.meterbill.billing.pricing.Money;
import dev.meterbill.billing.pricing.PricingScope;
import dev.meterbill.billing.pricing.Tier;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * SQL for pricing_plans, plan_charges and charge_tiers. A charge's model-specific fields sit in
 * nullable columns, one set per model: each definition record says which it fills
 * ({@link ChargeDefinition#columns()}) and is rebuilt from them by its model ({@link ChargeModel#fromColumns}).
 */
public final class PricingPlanRepository {

    /** Name of the schema's UNIQUE (name, version) constraint. */
    static final String UNIQUE_NAME_VERSION = "pricing_plans_name_version_key";

    /** Inserts a plan version with its charges and tiers. */
    public void insert(Connection connection, UUID id, String name, int version, PlanDefinition definition)
            throws SQLException {
        String sql = """
                INSERT INTO pricing_plans (id, name, version, currency, minimum_commitment_minor, pricing_scope)
                VALUES (?, ?, ?, ?, ?, ?)
                """;
        Sql.update(connection, sql, id, name, version, definition.currency(), definition.minimumCommitmentMinor(),
                definition.pricingScope().wireName());
        insertCharges(connection, id, definition.charges(), definition.terms());
    }

    /** Replaces the definition of a plan that is not in use (the database refuses otherwise). */
    public void replace(Connection connection, UUID id, PlanDefinition definition) throws SQLException {
        Sql.update(connection,
                "DELETE FROM charge_tiers WHERE charge_id IN (SELECT id FROM plan_charges WHERE pricing_plan_id = ?)", id);
        Sql.update(connection, "DELETE FROM plan_charges WHERE pricing_plan_id = ?", id);
        Sql.update(connection, "UPDATE pricing_plans SET currency = ?, minimum_commitment_minor = ?, pricing_scope = ? WHERE id = ?",
                definition.currency(), definition.minimumCommitmentMinor(), definition.pricingScope().wireName(), id);
        insertCharges(connection, id, definition.charges(), definition.terms());
    }

    private static void insertCharges(Connection connection, UUID planId, List<ChargeDefinition> charges,
                                      Map<UUID, ChargeTerms> terms) throws SQLException {
        String chargeSql = """
                INSERT INTO plan_charges (id, pricing_plan_id, metric_name, aggregation, model, unit_price,
                                          package_size, flat_fee_minor, free_units, position, sac,
                                          limit_per_period, limit_kind, metric_definition, dimension_prices)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))
                """;
        String tierSql = "INSERT INTO charge_tiers (charge_id, position, up_to, unit_price, flat_fee_minor) VALUES (?, ?, ?, ?, ?)";
        try (PreparedStatement chargeStatement = connection.prepareStatement(chargeSql);
             PreparedStatement tierStatement = connection.prepareStatement(tierSql)) {
            for (int i = 0; i < charges.size(); i++) {
                ChargeDefinition c = charges.get(i);
                ChargeColumns own = c.columns();
                chargeStatement.setObject(1, c.id());
                chargeStatement.setObject(2, planId);
                chargeStatement.setString(3, c.metricName());
                chargeStatement.setString(4, c.aggregation().wireName());
                chargeStatement.setString(5, c.model().wireName());
                chargeStatement.setBigDecimal(6, own.unitPrice());
                chargeStatement.setBigDecimal(7, own.packageSize());
                if (own.flatFeeMinor() == null) {
                    chargeStatement.setNull(8, Types.BIGINT);
                } else {
                    chargeStatement.setLong(8, own.flatFeeMinor());
                }
                chargeStatement.setBigDecimal(9, c.freeUnits());
                chargeStatement.setInt(10, i);
                ChargeTerms charged = terms.getOrDefault(c.id(), ChargeTerms.NONE);
                chargeStatement.setString(11, charged.sac());
                chargeStatement.setBigDecimal(12, charged.limit());
                chargeStatement.setString(13, charged.limitKind());
                chargeStatement.setString(14, charged.metricDefinition());
                chargeStatement.setString(15, charged.dimensionPrices().isEmpty() ? null
                        : StoredDimensionPrice.write(charged.dimensionPrices()));
                chargeStatement.addBatch();
                List<Tier> tiers = own.tiers() == null ? List.of() : own.tiers();
                for (int t = 0; t < tiers.size(); t++) {
                    Tier tier = tiers.get(t);
                    tierStatement.setObject(1, c.id());
                    tierStatement.setInt(2, t);
                    tierStatement.setBigDecimal(3, tier.upTo());
                    tierStatement.setBigDecimal(4, tier.unitPrice());
                    tierStatement.setLong(5, tier.flatFeeMinor());
                    tierStatement.addBatch();
                }
            }
            chargeStatement.executeBatch();
            tierStatement.executeBatch();
        }
    }

    public Optional<PricingPlan> find(Connection connection, UUID id) throws SQLException {
        return Optional.ofNullable(findAll(connection, List.of(id)).get(id));
    }

    /** The plans with these ids, with their charges and tiers, in two queries. */
    public Map<UUID, PricingPlan> findAll(Connection connection, Collection<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Array idArray = Sql.array(connection, "uuid", ids);
        List<PlanRow> rows = Sql.list(connection, """
                SELECT id, name, version, currency, minimum_commitment_minor, pricing_scope, created_at
                  FROM pricing_plans WHERE id = ANY (?)
                """, rs -> new PlanRow(rs.getObject("id", UUID.class), rs.getString("name"), rs.getInt("version"),
                rs.getString("currency"), rs.getLong("minimum_commitment_minor"),
                PricingScope.fromWire(rs.getString("pricing_scope")), Sql.instant(rs, "created_at")),
                idArray);
        Map<UUID, List<ChargeDefinition>> charges = loadCharges(connection, idArray);
        Map<UUID, Map<UUID, ChargeTerms>> terms = new HashMap<>();
        Sql.list(connection, "SELECT pricing_plan_id, id, sac, limit_per_period, limit_kind, metric_definition,"
                + " CAST(dimension_prices AS text), metric_name, aggregation FROM plan_charges WHERE pricing_plan_id = ANY (?)"
                + " AND (sac IS NOT NULL OR limit_per_period IS NOT NULL OR metric_definition IS NOT NULL)",
                rs -> terms.computeIfAbsent(rs.getObject(1, UUID.class), k -> new HashMap<>()).put(rs.getObject(2, UUID.class),
                        new ChargeTerms(rs.getString(3), Money.canonical(rs.getBigDecimal(4)), rs.getString(5),
                                rs.getString(6), StoredDimensionPrice.read(rs.getString(7), rs.getObject(2, UUID.class),
                                rs.getString(8), Aggregation.fromWire(rs.getString(9))))), idArray);
        Map<UUID, PricingPlan> plans = new HashMap<>();
        for (PlanRow row : rows) {
            plans.put(row.id, new PricingPlan(row.id, row.name, row.version, row.currency, row.minimumMinor,
                    row.scope, row.createdAt, charges.getOrDefault(row.id, List.of()),
                    terms.getOrDefault(row.id, Map.of())));
        }
        return plans;
    }

    private record PlanRow(UUID id, String name, int version, String currency, long minimumMinor, PricingScope scope,
                           Instant createdAt) {}

    private static Map<UUID, List<ChargeDefinition>> loadCharges(Connection connection, Array planIds)
            throws SQLException {
        String sql = """
                SELECT c.pricing_plan_id, c.id, c.metric_name, c.aggregation, c.model, c.unit_price, c.package_size,
                       c.flat_fee_minor, c.free_units, t.up_to, t.unit_price AS tier_price,
                       t.flat_fee_minor AS tier_fee, t.position AS tier_position
                  FROM plan_charges c LEFT JOIN charge_tiers t ON t.charge_id = c.id
                 WHERE c.pricing_plan_id = ANY (?)
                 ORDER BY c.pricing_plan_id, c.position, t.position
                """;
        Map<UUID, List<ChargeDefinition>> byPlan = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, planIds);
            try (ResultSet rs = statement.executeQuery()) {
                UUID currentCharge = null;
                ChargeRow row = null;
                while (rs.next()) {
                    UUID chargeId = rs.getObject("id", UUID.class);
                    if (!chargeId.equals(currentCharge)) {
                        if (row != null) {
                            byPlan.computeIfAbsent(row.planId, k -> new ArrayList<>()).add(row.toDefinition());
                        }
                        currentCharge = chargeId;
                        long fee = rs.getLong("flat_fee_minor");
                        Long flatFee = rs.wasNull() ? null : fee;
                        row = new ChargeRow(rs.getObject("pricing_plan_id", UUID.class), chargeId,
                                rs.getString("metric_name"), Aggregation.fromWire(rs.getString("aggregation")),
                                ChargeModel.fromWire(rs.getString("model")), Money.canonical(rs.getBigDecimal("unit_price")),
                                Money.canonical(rs.getBigDecimal("package_size")), flatFee, Money.canonical(rs.getBigDecimal("free_units")),
                                new ArrayList<>());
                    }
                    rs.getInt("tier_position");
                    if (!rs.wasNull()) {
                        row.tiers.add(new Tier(Money.canonical(rs.getBigDecimal("up_to")), Money.canonical(rs.getBigDecimal("tier_price")),
                                rs.getLong("tier_fee")));
                    }
                }
                if (row != null) {
                    byPlan.computeIfAbsent(row.planId, k -> new ArrayList<>()).add(row.toDefinition());
                }
            }
        }
        return byPlan;
    }

    private record ChargeRow(UUID planId, UUID id, String metric, Aggregation aggregation, ChargeModel model,
                             BigDecimal unitPrice, BigDecimal packageSize, Long flatFee, BigDecimal freeUnits,
                             List<Tier> tiers) {
        ChargeDefinition toDefinition() {
            return model.fromColumns(new ChargeBasics(id, metric, aggregation, freeUnits),
                    new ChargeColumns(unitPrice, packageSize, flatFee, tiers));
        }
    }


    /**
     * A dimension price as the JSON column {@code plan_charges.dimension_prices} keeps it: the columns a charge of its
     * model would fill, so that the model's {@code fromColumns} rebuilds it as it rebuilds a charge.
     */
    private record StoredDimensionPrice(Map<String, String> dimensions, String model, BigDecimal freeUnits,
                                        ChargeColumns columns) {

        private static final ObjectMapper JSON = Json.newMapper();
        private static final TypeReference<List<StoredDimensionPrice>> LIST = new TypeReference<>() {};

        static String write(List<DimensionPrice> prices) {
            try {
                return JSON.writeValueAsString(prices.stream().map(p -> new StoredDimensionPrice(p.dimensions(),
                        p.definition().model().wireName(), p.definition().freeUnits(), p.definition().columns())).toList());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("dimension prices are always writable", e);
            }
        }

        static List<DimensionPrice> read(String json, UUID chargeId, String metricName, Aggregation aggregation)
                throws SQLException {
            if (json == null) {
                return List.of();
            }
            try {
                return JSON.readValue(json, LIST).stream().map(p -> new DimensionPrice(p.dimensions(),
                        ChargeModel.fromWire(p.model()).fromColumns(new ChargeBasics(chargeId, metricName, aggregation,
                                Money.canonical(p.freeUnits())), p.columns()))).toList();
            } catch (JsonProcessingException e) {
                throw new SQLException("unreadable dimension prices of plan charge " + chargeId, e);
            }
        }
    }

    /** The metric definitions plan charges may price, by key, with their current aggregation and every group-by key. */
    public Map<String, DefinedMetric> definedMetrics(Connection connection) throws SQLException {
        Map<String, DefinedMetric> metrics = new HashMap<>();
        Sql.list(connection, "SELECT key, aggregation, group_by FROM metric_definitions ORDER BY key, version", rs -> {
            String key = rs.getString(1);
            Set<String> groupKeys = new HashSet<>(List.of((String[]) rs.getArray(3).getArray()));
            DefinedMetric earlier = metrics.get(key);
            if (earlier != null) {
                groupKeys.addAll(earlier.groupKeys());
            }
            metrics.put(key, new DefinedMetric(key, rs.getString(2), groupKeys));
            return key;
        });
        return metrics;
    }

    /** Locks the plan row against concurrent subscriptions (whose foreign key takes a key-share lock). */
    public Optional<String> lockName(Connection connection, UUID id) throws SQLException {
        return Sql.one(connection, "SELECT name FROM pricing_plans WHERE id = ? FOR UPDATE", rs -> rs.getString(1), id);
    }

    public boolean isInUse(Connection connection, UUID id) throws SQLException {
        return Sql.single(connection, "SELECT pricing_plan_in_use(?)", rs -> rs.getBoolean(1), id);
    }

    /**
     * The next version number of a plan name. Takes a transaction-scoped advisory lock on the name
     * first, so two concurrent new versions get consecutive numbers instead of a conflict.
     */
    public int nextVersion(Connection connection, String name) throws SQLException {
        Sql.run(connection, "SELECT pg_advisory_xact_lock(hashtextextended('pricing-plan:' || ?, 0))", name);
        return Sql.single(connection, "SELECT coalesce(max(version), 0) + 1 FROM pricing_plans WHERE name = ?",
                rs -> rs.getInt(1), name);
    }

    /** True when the organisation has a subscription or an invoice on the plan: then it may read it. */
    public boolean isVisibleTo(Connection connection, UUID planId, UUID organisationId) throws SQLException {
        String sql = """
                SELECT EXISTS (SELECT 1 FROM subscriptions WHERE pricing_plan_id = ? AND organisation_id = ?)
                    OR EXISTS (SELECT 1 FROM invoices WHERE pricing_plan_id = ? AND organisation_id = ?)
                """;
        return Sql.single(connection, sql, rs -> rs.getBoolean(1), planId, organisationId, planId, organisationId);
    }

    /** Ids of the plans, newest first: all for the operator, or those visible to one organisation. */
    public List<UUID> listIds(Connection connection, UUID organisationId, String name) throws SQLException {
        String sql = """
                SELECT p.id FROM pricing_plans p
                 WHERE (CAST(? AS uuid) IS NULL
                        OR EXISTS (SELECT 1 FROM subscriptions s WHERE s.pricing_plan_id = p.id AND s.organisation_id = ?)
                        OR EXISTS (SELECT 1 FROM invoices i WHERE i.pricing_plan_id = p.id AND i.organisation_id = ?))
                   AND (CAST(? AS text) IS NULL OR p.name = ?)
                 ORDER BY p.name, p.version DESC
                 LIMIT 1000
                """;
        return Sql.list(connection, sql, rs -> rs.getObject(1, UUID.class),
                organisationId, organisationId, organisationId, name, name);
    }
}
