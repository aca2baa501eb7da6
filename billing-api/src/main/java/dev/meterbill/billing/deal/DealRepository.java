package dev.meterbill.billing.deal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.billing.db.Sql;
import dev.meterbill.billing.pricing.Discount;
import dev.meterbill.billing.pricing.Tier;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL for price overrides, discounts and coupons. */
public final class DealRepository {

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final TypeReference<List<Tier>> TIERS = new TypeReference<>() {};
    private static final String OVERRIDE_COLUMNS =
            "id, organisation_id, charge_id, version, from_period, unit_price, tiers, created_at";
    private static final String DISCOUNT_COLUMNS = "id, organisation_id, coupon_id, description, kind, percent,"
            + " amount_minor, first_period, duration_periods, created_at, removed_at";
    private static final String COUPON_COLUMNS = "id, code, kind, percent, amount_minor, currency, duration_periods,"
            + " max_redemptions, redeem_by, times_redeemed, created_at";

    // --- price overrides

    /** Inserts the next version of the organisation's price for the charge (the caller holds the organisation lock). */
    PriceOverride insertOverride(Connection c, UUID organisationId, UUID chargeId, YearMonth fromPeriod,
                                 BigDecimal unitPrice, List<Tier> tiers) throws SQLException {
        int version = Sql.single(c, "SELECT coalesce(max(version), 0) + 1 FROM price_overrides"
                + " WHERE organisation_id = ? AND charge_id = ?", rs -> rs.getInt(1), organisationId, chargeId);
        return Sql.single(c, """
                INSERT INTO price_overrides (id, organisation_id, charge_id, version, from_period, unit_price, tiers)
                VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb)) RETURNING\s""" + OVERRIDE_COLUMNS,
                DealRepository::override, UUID.randomUUID(), organisationId, chargeId, version, fromPeriod.toString(),
                unitPrice, tiers == null ? null : json(tiers));
    }

    List<PriceOverride> overrides(Connection c, UUID organisationId) throws SQLException {
        return Sql.list(c, "SELECT " + OVERRIDE_COLUMNS + " FROM price_overrides WHERE organisation_id = ?"
                + " ORDER BY charge_id, version", DealRepository::override, organisationId);
    }

    /** Per organisation and charge, the override in force for {@code period}: the highest version from on or before it. */
    public Map<UUID, Map<UUID, PriceOverride>> overridesInForce(Connection c, Collection<UUID> organisations,
                                                                YearMonth period) throws SQLException {
        Map<UUID, Map<UUID, PriceOverride>> inForce = new HashMap<>();
        Sql.list(c, "SELECT DISTINCT ON (organisation_id, charge_id) " + OVERRIDE_COLUMNS + """
                  FROM price_overrides WHERE organisation_id = ANY (?) AND from_period <= ?
                 ORDER BY organisation_id, charge_id, version DESC
                """, DealRepository::override, Sql.array(c, "uuid", organisations), period.toString())
                .forEach(o -> inForce.computeIfAbsent(o.organisationId(), k -> new HashMap<>()).put(o.chargeId(), o));
        return inForce;
    }

    // --- discounts

    DiscountGrant insertDiscount(Connection c, UUID organisationId, UUID couponId, String description,
                                 Discount.Kind kind, BigDecimal percent, Long amountMinor,
                                 YearMonth firstPeriod, Integer durationPeriods) throws SQLException {
        return Sql.single(c, """
                INSERT INTO discounts (id, organisation_id, coupon_id, description, kind, percent, amount_minor,
                                       first_period, duration_periods)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING\s""" + DISCOUNT_COLUMNS, DealRepository::discount,
                UUID.randomUUID(), organisationId, couponId, description, kind.name().toLowerCase(Locale.ROOT), percent,
                amountMinor, firstPeriod.toString(), durationPeriods);
    }

    List<DiscountGrant> discounts(Connection c, UUID organisationId) throws SQLException {
        return Sql.list(c, "SELECT " + DISCOUNT_COLUMNS + " FROM discounts WHERE organisation_id = ?"
                + " ORDER BY created_at, id", DealRepository::discount, organisationId);
    }

    Optional<DiscountGrant> removeDiscount(Connection c, UUID organisationId, UUID id) throws SQLException {
        return Sql.one(c, "UPDATE discounts SET removed_at = now() WHERE organisation_id = ? AND id = ?"
                + " AND removed_at IS NULL RETURNING " + DISCOUNT_COLUMNS, DealRepository::discount, organisationId, id);
    }

    /** Per organisation, the discounts that apply to {@code period}'s invoice, in the order they were granted. */
    public Map<UUID, List<Discount>> discountsInForce(Connection c, Collection<UUID> organisations, YearMonth period)
            throws SQLException {
        Map<UUID, List<Discount>> inForce = new HashMap<>();
        Sql.list(c, "SELECT " + DISCOUNT_COLUMNS + """
                  FROM discounts WHERE organisation_id = ANY (?) AND removed_at IS NULL AND first_period <= ?
                 ORDER BY created_at, id
                """, DealRepository::discount, Sql.array(c, "uuid", organisations), period.toString()).stream()
                .filter(d -> d.appliesTo(period))
                .forEach(d -> inForce.computeIfAbsent(d.organisationId(), k -> new ArrayList<>()).add(d.discount()));
        return inForce;
    }

    // --- coupons

    Coupon insertCoupon(Connection c, String code, Discount.Kind kind, BigDecimal percent, Long amountMinor,
                        String currency, Integer durationPeriods, Integer maxRedemptions, Instant redeemBy)
            throws SQLException {
        return Sql.single(c, """
                INSERT INTO coupons (id, code, kind, percent, amount_minor, currency, duration_periods, max_redemptions,
                                     redeem_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING\s""" + COUPON_COLUMNS, DealRepository::coupon,
                UUID.randomUUID(), code, kind.name().toLowerCase(Locale.ROOT), percent, amountMinor, currency,
                durationPeriods, maxRedemptions, redeemBy == null ? null : redeemBy.atOffset(ZoneOffset.UTC));
    }

    boolean couponExists(Connection c, String code) throws SQLException {
        return Sql.exists(c, "SELECT 1 FROM coupons WHERE code = ?", code);
    }

    List<Coupon> coupons(Connection c) throws SQLException {
        return Sql.list(c, "SELECT " + COUPON_COLUMNS + " FROM coupons ORDER BY created_at, code", DealRepository::coupon);
    }

    /** The coupon, locked: redemptions of one coupon queue up, so its limit holds. */
    Optional<Coupon> lockCoupon(Connection c, String code) throws SQLException {
        return Sql.one(c, "SELECT " + COUPON_COLUMNS + " FROM coupons WHERE code = ? FOR UPDATE", DealRepository::coupon,
                code);
    }

    void redeemed(Connection c, UUID couponId) throws SQLException {
        Sql.update(c, "UPDATE coupons SET times_redeemed = times_redeemed + 1 WHERE id = ?", couponId);
    }

    boolean holdsCoupon(Connection c, UUID organisationId, UUID couponId) throws SQLException {
        return Sql.exists(c, "SELECT 1 FROM discounts WHERE organisation_id = ? AND coupon_id = ? AND removed_at IS NULL",
                organisationId, couponId);
    }

    private static PriceOverride override(ResultSet rs) throws SQLException {
        String tiers = rs.getString("tiers");
        BigDecimal unitPrice = rs.getBigDecimal("unit_price");
        return new PriceOverride(rs.getObject("id", UUID.class), rs.getObject("organisation_id", UUID.class),
                rs.getObject("charge_id", UUID.class), rs.getInt("version"), YearMonth.parse(rs.getString("from_period")),
                unitPrice == null ? null : unitPrice.stripTrailingZeros(), tiers == null ? null : tiers(tiers),
                Sql.instant(rs, "created_at"));
    }

    private static DiscountGrant discount(ResultSet rs) throws SQLException {
        BigDecimal percent = rs.getBigDecimal("percent");
        int duration = rs.getInt("duration_periods");
        Integer durationPeriods = rs.wasNull() ? null : duration;
        return new DiscountGrant(rs.getObject("id", UUID.class), rs.getObject("organisation_id", UUID.class),
                rs.getObject("coupon_id", UUID.class), rs.getString("description"),
                Discount.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
                percent == null ? null : percent.stripTrailingZeros(), rs.getLong("amount_minor"),
                YearMonth.parse(rs.getString("first_period")), durationPeriods, Sql.instant(rs, "created_at"),
                Sql.instant(rs, "removed_at"));
    }

    private static Coupon coupon(ResultSet rs) throws SQLException {
        BigDecimal percent = rs.getBigDecimal("percent");
        int duration = rs.getInt("duration_periods");
        Integer durationPeriods = rs.wasNull() ? null : duration;
        int max = rs.getInt("max_redemptions");
        Integer maxRedemptions = rs.wasNull() ? null : max;
        return new Coupon(rs.getObject("id", UUID.class), rs.getString("code"),
                Discount.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
                percent == null ? null : percent.stripTrailingZeros(), rs.getLong("amount_minor"), rs.getString("currency"),
                durationPeriods, maxRedemptions, Sql.instant(rs, "redeem_by"), rs.getInt("times_redeemed"),
                Sql.instant(rs, "created_at"));
    }

    private static String json(List<Tier> tiers) {
        try {
            return JSON.writeValueAsString(tiers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tiers not serialisable", e);
        }
    }

    private static List<Tier> tiers(String json) throws SQLException {
        try {
            return JSON.readValue(json, TIERS);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable tiers of a price override: " + e.getMessage(), e);
        }
    }
}
