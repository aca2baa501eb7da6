package dev.meterbill.billing.invoice;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.billing.db.Sql;
import dev.meterbill.billing.organisation.Address;
import dev.meterbill.billing.pricing.GstBreakdown;
import dev.meterbill.billing.pricing.Money;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL for invoices and their lines. */
public final class InvoiceRepository {

    /** The organisation's address as an invoice keeps it. */
    private static final String CUSTOMER_ADDRESS = """
            jsonb_strip_nulls(jsonb_build_object('line1', o.address_line1, 'line2', o.address_line2, 'city', o.city,
                'postalCode', o.postal_code, 'stateCode', o.state_code, 'country', o.country))""";

    private static final String COLUMNS = """
            id, organisation_id, period, invoice_number, status, currency, pricing_plan_id, subtotal_minor, cgst_minor,
            sgst_minor, igst_minor, total_minor, gst_rate_percent, supplier_state_code, supplier_gstin,
            customer_state_code, customer_gstin, minimum_commitment_minor, created_at, issued_at, due_at, paid_at,
            voided_at, razorpay_order_id, supply_type, lut_reference, irn_status, irn, irn_ack_no, irn_ack_at,
            irn_signed_qr, irn_error,
            (SELECT coalesce(sum(p.amount_minor - p.refunded_minor), 0) FROM payments p
              WHERE p.invoice_id = invoices.id AND p.status = 'captured' AND p.currency = invoices.currency) AS paid_minor,
            (SELECT coalesce(sum(t.amount_minor), 0) FROM invoice_tds t WHERE t.invoice_id = invoices.id) AS tds_minor,
            (SELECT coalesce(sum(n.total_minor), 0) FROM credit_notes n WHERE n.invoice_id = invoices.id) AS credited_minor,
            (SELECT coalesce(sum(a.amount_minor), 0) FROM credit_applications a
              WHERE a.invoice_id = invoices.id) AS applied_credit_minor,
            coalesce(customer_name, (SELECT o.name FROM organisations o WHERE o.id = invoices.organisation_id))
                AS customer_name_shown,
            coalesce(customer_email, (SELECT o.billing_email FROM organisations o WHERE o.id = invoices.organisation_id))
                AS customer_email_shown,
            CAST(coalesce(customer_address, (SELECT\s""" + CUSTOMER_ADDRESS + """
                FROM organisations o WHERE o.id = invoices.organisation_id)) AS text) AS customer_address_shown""";


    private static final ObjectMapper BREAKDOWN_JSON = new ObjectMapper();
    private static final TypeReference<List<InvoiceLine.ProjectQuantity>> BREAKDOWN_TYPE = new TypeReference<>() {};

    /** A computed invoice ready to store as a draft. */
    public record NewInvoice(UUID id, BillableOrganisation organisation, YearMonth period, UUID pricingPlanId,
                             String currency, InvoiceDraft draft, String supplierStateCode, String supplierGstin) {}

    /**
     * Inserts drafts in one statement; an organisation that already has an invoice for the period is
     * skipped by the unique constraint ({@code ON CONFLICT DO NOTHING}), which is what makes two
     * concurrent runs safe: the second waits for the first's row, then does nothing.
     *
     * @return the ids of the invoices this call inserted, by organisation
     */
    public Map<UUID, UUID> insertDrafts(Connection connection, List<NewInvoice> invoices) throws SQLException {
        if (invoices.isEmpty()) {
            return Map.of();
        }
        String sql = """
                INSERT INTO invoices (id, organisation_id, period, currency, pricing_plan_id, subtotal_minor, cgst_minor,
                                      sgst_minor, igst_minor, total_minor, gst_rate_percent, supplier_state_code,
                                      supplier_gstin, customer_state_code, customer_gstin, minimum_commitment_minor,
                                      supply_type, lut_reference)
                SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::uuid[], ?::bigint[], ?::bigint[],
                                     ?::bigint[], ?::bigint[], ?::bigint[], ?::numeric[], ?::text[], ?::text[], ?::text[],
                                     ?::text[], ?::bigint[], ?::text[], ?::text[])
                ON CONFLICT (organisation_id, period) DO NOTHING
                RETURNING organisation_id, id
                """;
        int n = invoices.size();
        Object[][] columns = new Object[18][n];
        for (int i = 0; i < n; i++) {
            NewInvoice invoice = invoices.get(i);
            InvoiceDraft draft = invoice.draft();
            Object[] row = {invoice.id(), invoice.organisation().id(), invoice.period().toString(), invoice.currency(),
                    invoice.pricingPlanId(), draft.subtotalMinor(), draft.tax().cgstMinor(), draft.tax().sgstMinor(),
                    draft.tax().igstMinor(), draft.totalMinor(), draft.tax().ratePercent(), invoice.supplierStateCode(),
                    invoice.supplierGstin(), invoice.organisation().stateCode(), invoice.organisation().gstin(),
                    draft.minimumCommitmentMinor(), draft.tax().supply().wireName(), draft.lutReference()};
            for (int c = 0; c < row.length; c++) {
                columns[c][i] = row[c];
            }
        }
        String[] types = {"uuid", "uuid", "text", "text", "uuid", "bigint", "bigint", "bigint", "bigint", "bigint",
                "numeric", "text", "text", "text", "text", "bigint", "text", "text"};
        Object[] arrays = new Object[types.length];
        for (int c = 0; c < types.length; c++) {
            arrays[c] = connection.createArrayOf(types[c], columns[c]);
        }
        Map<UUID, UUID> inserted = new HashMap<>();
        for (UUID[] pair : Sql.list(connection, sql,
                rs -> new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)}, arrays)) {
            inserted.put(pair[0], pair[1]);
        }
        return inserted;
    }

    /** Inserts the lines of invoices in one statement, in order (line ids keep the order). */
    public void insertLines(Connection connection, Map<UUID, List<InvoiceLine>> linesByInvoice) throws SQLException {
        List<Object> invoice = new ArrayList<>();
        List<Object> project = new ArrayList<>();
        List<Object> charge = new ArrayList<>();
        List<Object> metric = new ArrayList<>();
        List<Object> description = new ArrayList<>();
        List<Object> quantity = new ArrayList<>();
        List<Object> unitPrice = new ArrayList<>();
        List<Object> amount = new ArrayList<>();
        List<Object> adjustment = new ArrayList<>();
        List<Object> type = new ArrayList<>();
        List<Object> breakdown = new ArrayList<>();
        List<Object> sac = new ArrayList<>();
        for (Map.Entry<UUID, List<InvoiceLine>> entry : linesByInvoice.entrySet()) {
            for (InvoiceLine line : entry.getValue()) {
                invoice.add(entry.getKey());
                project.add(line.projectId());
                charge.add(line.chargeId());
                metric.add(line.metricName());
                description.add(line.description());
                quantity.add(line.quantity());
                unitPrice.add(line.unitPrice());
                amount.add(line.amountMinor());
                adjustment.add(line.adjustmentPeriod() == null ? null : line.adjustmentPeriod().toString());
                type.add(line.type().wireName());
                breakdown.add(breakdownJson(line));
                sac.add(line.sac());
            }
        }
        if (invoice.isEmpty()) {
            return;
        }
        String sql = """
                INSERT INTO invoice_line_items (invoice_id, project_id, charge_id, metric_name, description, quantity,
                                                unit_price, amount_minor, adjustment_period, line_type, breakdown, sac)
                SELECT i, p, c, m, d, q, u, a, adj, t, CAST(b AS jsonb), s
                  FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::numeric[], ?::numeric[],
                              ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[])
                       AS l(i, p, c, m, d, q, u, a, adj, t, b, s)
                """;
        Sql.update(connection, sql, Sql.array(connection, "uuid", invoice), Sql.array(connection, "uuid", project),
                Sql.array(connection, "uuid", charge), Sql.array(connection, "text", metric),
                Sql.array(connection, "text", description), Sql.array(connection, "numeric", quantity),
                Sql.array(connection, "numeric", unitPrice), Sql.array(connection, "bigint", amount),
                Sql.array(connection, "text", adjustment), Sql.array(connection, "text", type),
                Sql.array(connection, "text", breakdown), Sql.array(connection, "text", sac));
    }

    public Optional<UUID> findId(Connection connection, UUID organisationId, YearMonth period) throws SQLException {
        return Sql.one(connection, "SELECT id FROM invoices WHERE organisation_id = ? AND period = ?",
                rs -> rs.getObject(1, UUID.class), organisationId, period.toString());
    }

    /** The invoice with its lines; {@code forUpdate} locks the row for a status change. */
    public Optional<Invoice> find(Connection connection, UUID id, boolean forUpdate) throws SQLException {
        Optional<Invoice> found = Sql.one(connection, "SELECT " + COLUMNS + " FROM invoices WHERE id = ?"
                + (forUpdate ? " FOR UPDATE" : ""), InvoiceRepository::header, id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Invoice header = found.get();
        List<InvoiceLine> lines = Sql.list(connection, """
                SELECT line_type, project_id, charge_id, metric_name, description, quantity, unit_price, amount_minor,
                       adjustment_period, breakdown, sac
                  FROM invoice_line_items WHERE invoice_id = ? ORDER BY id
                """, InvoiceRepository::line, id);
        return Optional.of(new Invoice(header.id(), header.organisationId(), header.period(), header.invoiceNumber(),
                header.status(), header.currency(), header.pricingPlanId(), header.subtotalMinor(), header.cgstMinor(),
                header.sgstMinor(), header.igstMinor(), header.totalMinor(), header.gstRatePercent(),
                header.supplierStateCode(), header.supplierGstin(), header.customerStateCode(), header.customerGstin(),
                header.minimumCommitmentMinor(), header.createdAt(), header.issuedAt(), header.dueAt(), header.paidAt(),
                header.voidedAt(), header.razorpayOrderId(), header.supply(), header.lutReference(), header.balance(),
                header.customer(), header.eInvoice(), lines));
    }

    /** Invoices without lines, newest period first, filtered by whatever is given. */
    public List<Invoice> list(Connection connection, UUID organisationId, YearMonth period, InvoiceStatus status,
                              int limit, int offset) throws SQLException {
        String sql = "SELECT " + COLUMNS + """
                 FROM invoices
                 WHERE (CAST(? AS uuid) IS NULL OR organisation_id = ?)
                   AND (CAST(? AS text) IS NULL OR period = ?)
                   AND (CAST(? AS text) IS NULL OR status = ?)
                 ORDER BY period DESC, created_at DESC, id
                 LIMIT ? OFFSET ?
                """;
        String periodKey = period == null ? null : period.toString();
        String statusName = status == null ? null : status.wireName();
        return Sql.list(connection, sql, InvoiceRepository::header, organisationId, organisationId, periodKey,
                periodKey, statusName, statusName, limit, offset);
    }

    /** How many invoices exist for the period. */
    public long countForPeriod(Connection connection, YearMonth period) throws SQLException {
        return Sql.single(connection, "SELECT count(*) FROM invoices WHERE period = ?", rs -> rs.getLong(1),
                period.toString());
    }

    /** Moves a draft to issued with its number; the database freezes it from then on. */
    public void markIssued(Connection connection, UUID id, String number, Duration dueIn) throws SQLException {
        Sql.update(connection, """
                UPDATE invoices SET status = 'issued', invoice_number = ?, issued_at = now(),
                       due_at = now() + make_interval(secs => ?), customer_name = o.name,
                       customer_email = o.billing_email, customer_address =\s""" + CUSTOMER_ADDRESS + """
                  FROM organisations o
                 WHERE o.id = invoices.organisation_id AND invoices.id = ? AND invoices.status = 'draft'
                """, number, dueIn.toSeconds(), id);
    }

    /** The invoice paid through this Razorpay order, without lines; {@code forUpdate} locks it. */
    public Optional<Invoice> findByOrderId(Connection connection, String razorpayOrderId, boolean forUpdate)
            throws SQLException {
        return Sql.one(connection, "SELECT " + COLUMNS + " FROM invoices WHERE razorpay_order_id = ?"
                + (forUpdate ? " FOR UPDATE" : ""), InvoiceRepository::header, razorpayOrderId);
    }

    /** Attaches the Razorpay order once; returns false when the invoice already had one. */
    public boolean attachOrder(Connection connection, UUID id, String razorpayOrderId) throws SQLException {
        return Sql.update(connection,
                "UPDATE invoices SET razorpay_order_id = ? WHERE id = ? AND razorpay_order_id IS NULL",
                razorpayOrderId, id) == 1;
    }

    /** Issued, partially paid or uncollectible becomes paid; the database keeps a paid invoice paid. */
    public void markPaid(Connection connection, UUID id) throws SQLException {
        Sql.update(connection, """
                UPDATE invoices SET status = 'paid', paid_at = now()
                 WHERE id = ? AND status IN ('issued', 'partially_paid', 'uncollectible')
                """, id);
    }

    public void markPartiallyPaid(Connection connection, UUID id) throws SQLException {
        Sql.update(connection, "UPDATE invoices SET status = 'partially_paid' WHERE id = ? AND status = 'issued'", id);
    }

    /**
     * Locks the organisation's customer credit: whatever reads the credit to spend it (an issue applying it,
     * a refund deciding whether it needs a credit note) takes this lock after the invoice's.
     */
    public void lockCredit(Connection connection, UUID organisationId) throws SQLException {
        Sql.one(connection, "SELECT 1 FROM organisations WHERE id = ? FOR NO KEY UPDATE", rs -> 1, organisationId);
    }

    /**
     * The organisation's customer credit: what covered its invoices beyond their totals (all of what covered a
     * void invoice), less what was applied to later invoices.
     */
    public long availableCredit(Connection connection, UUID organisationId) throws SQLException {
        return Sql.single(connection, """
                SELECT (SELECT coalesce(sum(GREATEST(0, paid_minor + tds_minor + credited_minor + applied_credit_minor
                                          - CASE WHEN status = 'void' THEN 0 ELSE total_minor END)), 0)
                          FROM (SELECT\s""" + COLUMNS + """
                                  FROM invoices WHERE organisation_id = ? AND status <> 'draft') i)
                     - (SELECT coalesce(sum(amount_minor), 0) FROM credit_applications WHERE organisation_id = ?)
                """, rs -> rs.getLong(1), organisationId, organisationId);
    }

    /** Applies customer credit to an invoice. */
    public void applyCredit(Connection connection, UUID organisationId, UUID invoiceId, long amountMinor)
            throws SQLException {
        Sql.update(connection, "INSERT INTO credit_applications (id, organisation_id, invoice_id, amount_minor)"
                + " VALUES (?, ?, ?, ?)", UUID.randomUUID(), organisationId, invoiceId, amountMinor);
    }

    /** Stores what the IRP acknowledged; the database keeps it from then on. */
    public void storeIrn(Connection connection, UUID id, String irn, String ackNo, Instant ackAt, String signedQr)
            throws SQLException {
        Sql.update(connection, """
                UPDATE invoices SET irn_status = 'registered', irn = ?, irn_ack_no = ?, irn_ack_at = ?, irn_signed_qr = ?,
                       irn_error = NULL
                 WHERE id = ? AND irn IS NULL
                """, irn, ackNo, ackAt.atOffset(ZoneOffset.UTC), signedQr, id);
    }

    /** The IRN is still to come: pending (to retry) or refused, with why. */
    public void markIrn(Connection connection, UUID id, String status, String error) throws SQLException {
        Sql.update(connection, "UPDATE invoices SET irn_status = ?, irn_error = ? WHERE id = ? AND irn IS NULL",
                status, error == null ? null : error.substring(0, Math.min(error.length(), 2000)), id);
    }

    public void markIrnCancelled(Connection connection, UUID id) throws SQLException {
        Sql.update(connection, "UPDATE invoices SET irn_status = 'cancelled' WHERE id = ? AND irn IS NOT NULL", id);
    }

    /** Invoices whose IRN is pending, oldest first. */
    public List<UUID> pendingIrns(Connection connection, int limit) throws SQLException {
        return Sql.list(connection, "SELECT id FROM invoices WHERE irn_status = 'pending' ORDER BY issued_at, id LIMIT ?",
                rs -> rs.getObject(1, UUID.class), limit);
    }

    /** Ids of invoices issued before {@code before} and still unpaid, oldest first. */
    public List<UUID> issuedUnpaidBefore(Connection connection, Instant before, int limit) throws SQLException {
        return Sql.list(connection, """
                SELECT id FROM invoices WHERE status IN ('issued', 'partially_paid') AND issued_at <= ?
                 ORDER BY issued_at, id LIMIT ?
                """, rs -> rs.getObject(1, UUID.class), before.atOffset(ZoneOffset.UTC), limit);
    }

    public void markVoid(Connection connection, UUID id) throws SQLException {
        Sql.update(connection, "UPDATE invoices SET status = 'void', voided_at = now() WHERE id = ?", id);
    }

    /** Deletes a draft and releases the late events and re-rating adjustments it billed, so the next run bills them again. */
    public void deleteDraft(Connection connection, UUID id) throws SQLException {
        Sql.update(connection,
                "UPDATE late_usage_events SET adjusted_on_invoice_id = NULL WHERE adjusted_on_invoice_id = ?", id);
        Sql.update(connection,
                "UPDATE rerating_adjustments SET adjusted_on_invoice_id = NULL WHERE adjusted_on_invoice_id = ?", id);
        Sql.update(connection, "DELETE FROM invoices WHERE id = ? AND status = 'draft'", id);
    }

    /** An invoice row without its lines. */
    private static Invoice header(ResultSet rs) throws SQLException {
        return new Invoice(rs.getObject("id", UUID.class), rs.getObject("organisation_id", UUID.class),
                YearMonth.parse(rs.getString("period")), rs.getString("invoice_number"),
                InvoiceStatus.fromWire(rs.getString("status")), rs.getString("currency"),
                rs.getObject("pricing_plan_id", UUID.class), rs.getLong("subtotal_minor"), rs.getLong("cgst_minor"),
                rs.getLong("sgst_minor"), rs.getLong("igst_minor"), rs.getLong("total_minor"),
                Money.canonical(rs.getBigDecimal("gst_rate_percent")), rs.getString("supplier_state_code"),
                rs.getString("supplier_gstin"), rs.getString("customer_state_code"), rs.getString("customer_gstin"),
                rs.getLong("minimum_commitment_minor"), Sql.instant(rs, "created_at"), Sql.instant(rs, "issued_at"),
                Sql.instant(rs, "due_at"), Sql.instant(rs, "paid_at"), Sql.instant(rs, "voided_at"),
                rs.getString("razorpay_order_id"), supply(rs), rs.getString("lut_reference"),
                new InvoiceBalance(rs.getLong("paid_minor"), rs.getLong("tds_minor"),
                rs.getLong("credited_minor"), rs.getLong("applied_credit_minor")),
                new Invoice.Customer(rs.getString("customer_name_shown"), rs.getString("customer_email_shown"),
                        address(rs.getString("customer_address_shown"))),
                rs.getString("irn_status") == null ? null : new Invoice.EInvoice(rs.getString("irn_status"),
                        rs.getString("irn"), rs.getString("irn_ack_no"), Sql.instant(rs, "irn_ack_at"),
                        rs.getString("irn_signed_qr"), rs.getString("irn_error")), List.of());
    }

    private static InvoiceLine line(ResultSet rs) throws SQLException {
        String adjustment = rs.getString(9);
        return new InvoiceLine(LineType.fromWire(rs.getString(1)), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getString(4), rs.getString(5), Money.canonical(rs.getBigDecimal(6)), Money.canonical(rs.getBigDecimal(7)), rs.getLong(8),
                adjustment == null ? null : YearMonth.parse(adjustment), breakdown(rs.getString(10)),
                rs.getString(11));
    }

    /** The stored kind of supply; invoices from before V7 have none, and theirs follows from the state codes. */
    private static GstBreakdown.Supply supply(ResultSet rs) throws SQLException {
        GstBreakdown.Supply stored = GstBreakdown.Supply.fromWire(rs.getString("supply_type"));
        if (stored != null) {
            return stored;
        }
        String supplier = rs.getString("supplier_state_code");
        return supplier != null && supplier.equals(rs.getString("customer_state_code"))
                ? GstBreakdown.Supply.INTRA_STATE : GstBreakdown.Supply.INTER_STATE;
    }

    private static Address address(String json) throws SQLException {
        try {
            return json == null ? null : BREAKDOWN_JSON.readValue(json, Address.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable customer address of an invoice: " + e.getMessage(), e);
        }
    }

    private static String breakdownJson(InvoiceLine line) {
        if (line.breakdown() == null) {
            return null;
        }
        try {
            return BREAKDOWN_JSON.writeValueAsString(line.breakdown());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("breakdown of an invoice line not serialisable", e);
        }
    }

    private static List<InvoiceLine.ProjectQuantity> breakdown(String json) throws SQLException {
        if (json == null) {
            return null;
        }
        try {
            return BREAKDOWN_JSON.readValue(json, BREAKDOWN_TYPE);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable breakdown of an invoice line: " + e.getMessage(), e);
        }
    }

}
