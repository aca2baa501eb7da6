package dev.meterbill.billing.organisation;

import dev.meterbill.billing.db.Sql;
import dev.meterbill.billing.pricing.GstCalculator;
import dev.meterbill.billing.pricing.GstBreakdown;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for organisations. */
public final class OrganisationRepository {

    private static final String COLUMNS = "id, name, billing_email, currency, timezone, gstin, state_code,"
            + " address_line1, address_line2, city, postal_code, country, next_timezone, next_timezone_period,"
            + " next_timezone_from, created_at, updated_at";

    public Organisation insert(Connection connection, UUID id, NewOrganisation organisation) throws SQLException {
        Address a = organisation.address();
        String sql = """
                INSERT INTO organisations (id, name, billing_email, currency, timezone, gstin, state_code, address_line1,
                                           address_line2, city, postal_code, country)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING\s""" + COLUMNS;
        return Sql.single(connection, sql, OrganisationRepository::map, id, organisation.name(),
                organisation.billingEmail(), organisation.currency(), organisation.timezone(), organisation.gstin(),
                organisation.stateCode(), a.line1(), a.line2(), a.city(), a.postalCode(), a.country());
    }

    /** The billing timezone of the running period of an organisation that exists. */
    public static ZoneId timezone(Connection connection, UUID id) throws SQLException {
        return ZoneId.of(Sql.single(connection, "SELECT timezone FROM organisations WHERE id = ?", rs -> rs.getString(1), id));
    }

    public Optional<Organisation> find(Connection connection, UUID id) throws SQLException {
        return Sql.one(connection, "SELECT " + COLUMNS + " FROM organisations WHERE id = ?", OrganisationRepository::map, id);
    }

    /** The organisation, locked until the transaction ends: changes of one organisation queue up. */
    public Optional<Organisation> lock(Connection connection, UUID id) throws SQLException {
        return Sql.one(connection, "SELECT " + COLUMNS + " FROM organisations WHERE id = ? FOR NO KEY UPDATE",
                OrganisationRepository::map, id);
    }

    public boolean exists(Connection connection, UUID id) throws SQLException {
        return Sql.exists(connection, "SELECT 1 FROM organisations WHERE id = ?", id);
    }

    /** Organisations by name, filtered by a part of the name (any case) and an exact GSTIN, whichever is given. */
    public List<Organisation> list(Connection connection, String nameContains, String gstin, int limit, int offset)
            throws SQLException {
        String pattern = nameContains == null ? null
                : "%" + nameContains.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                .replace("_", "\\_") + "%";
        return Sql.list(connection, "SELECT " + COLUMNS + """
                  FROM organisations
                 WHERE (CAST(? AS text) IS NULL OR lower(name) LIKE ?)
                   AND (CAST(? AS text) IS NULL OR gstin = ?)
                 ORDER BY lower(name), id
                 LIMIT ? OFFSET ?
                """, OrganisationRepository::map, pattern, pattern, gstin, gstin, limit, offset);
    }

    /** Writes the changed details; the timezone is the one in force, the pending change as given. */
    public Organisation update(Connection connection, UUID id, NewOrganisation o, String timezone,
                               Organisation.PendingTimezone pending) throws SQLException {
        Address a = o.address();
        return Sql.single(connection, """
                UPDATE organisations SET name = ?, billing_email = ?, gstin = ?, state_code = ?, address_line1 = ?,
                       address_line2 = ?, city = ?, postal_code = ?, country = ?, timezone = ?, next_timezone = ?,
                       next_timezone_period = ?, next_timezone_from = ?, updated_at = now()
                 WHERE id = ? RETURNING\s""" + COLUMNS, OrganisationRepository::map, o.name(), o.billingEmail(),
                o.gstin(), o.stateCode(), a.line1(), a.line2(), a.city(), a.postalCode(), a.country(), timezone,
                pending == null ? null : pending.timezone(),
                pending == null ? null : pending.fromPeriod().toString(),
                pending == null ? null : pending.from().atOffset(ZoneOffset.UTC), id);
    }

    /**
     * Gives the organisation's draft invoices its new GST registration: the customer's state code and GSTIN,
     * and the tax split they decide (CGST + SGST within the supplier's state, IGST otherwise), at the draft's
     * own rate. Issued invoices keep what they were issued with. A draft of a customer that moved abroad
     * is an export with IGST: discard it to have it regenerated under the supplier's LUT.
     *
     * @return how many drafts changed
     */
    public int refreshDrafts(Connection connection, UUID organisationId, String stateCode, String gstin,
                             boolean abroad) throws SQLException {
        record Draft(UUID id, long subtotal, BigDecimal rate, String supplierState) {}
        List<Draft> drafts = Sql.list(connection, """
                SELECT id, subtotal_minor, gst_rate_percent, supplier_state_code FROM invoices
                 WHERE organisation_id = ? AND status = 'draft' FOR UPDATE
                """, rs -> new Draft(rs.getObject(1, UUID.class), rs.getLong(2), rs.getBigDecimal(3), rs.getString(4)),
                organisationId);
        for (Draft draft : drafts) {
            GstBreakdown tax = new GstCalculator(draft.supplierState() == null ? "" : draft.supplierState(),
                    draft.rate()).calculate(draft.subtotal(), stateCode, abroad, false);
            Sql.update(connection, """
                    UPDATE invoices SET customer_state_code = ?, customer_gstin = ?, cgst_minor = ?, sgst_minor = ?,
                           igst_minor = ?, total_minor = subtotal_minor + ?, supply_type = ?, lut_reference = NULL
                     WHERE id = ? AND status = 'draft'
                    """, stateCode, gstin, tax.cgstMinor(), tax.sgstMinor(), tax.igstMinor(), tax.totalMinor(),
                    tax.supply().wireName(), draft.id());
        }
        return drafts.size();
    }

    private static Organisation map(ResultSet rs) throws SQLException {
        String next = rs.getString("next_timezone");
        Instant nextFrom = Sql.instant(rs, "next_timezone_from");
        String stateCode = rs.getString("state_code");
        return new Organisation(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("billing_email"),
                rs.getString("currency"),
                rs.getString("timezone"),
                rs.getString("gstin"),
                stateCode,
                new Address(rs.getString("address_line1"), rs.getString("address_line2"), rs.getString("city"),
                        rs.getString("postal_code"), stateCode, rs.getString("country")),
                next == null ? null : new Organisation.PendingTimezone(next,
                        YearMonth.parse(rs.getString("next_timezone_period")), nextFrom),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"));
    }
}
