package dev.meterbill.billing.rerating;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.archive.format.RerateDiff;
import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.creditnote.CreditNote;
import dev.meterbill.billing.creditnote.CreditNoteService;
import dev.meterbill.billing.db.Sql;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.ConflictException;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceDraft;
import dev.meterbill.billing.invoice.InvoiceGenerator;
import dev.meterbill.billing.invoice.InvoiceRepository;
import dev.meterbill.billing.invoice.InvoiceStatus;
import dev.meterbill.billing.invoice.UsageRow;
import dev.meterbill.billing.pricing.UsageQuantities;
import dev.meterbill.billing.organisation.OrganisationRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Re-ratings (issue 18): {@code ./billing rerate} recomputes a closed period from the archive into a schema of its own
 * and records it; here it is shown and, on the operator's confirmation, applied in one transaction:
 *
 * <ul>
 *   <li>a period without an invoice: its live totals (month, days, hours) are replaced by the re-rated ones;</li>
 *   <li>an issued invoice: the period is priced again, the live usage (with the late events already billed as
 *       adjustments) under the invoice's plan and the re-rated usage under the invoice's plan or a given version of
 *       it (a pricing mistake corrected); a lower price is credited through a credit note, a higher one waits as an
 *       adjustment line of the period on the organisation's next invoice ({@code rerating_adjustments}), and the
 *       totals are replaced;</li>
 *   <li>the period's late events the re-rating includes are absorbed into the totals, so they are neither billed again
 *       as adjustments nor counted twice in the baseline later adjustments are priced against.</li>
 * </ul>
 */
public final class Reratings {

    private final Transactions transactions;
    private final InvoiceGenerator generator;
    private final InvoiceRepository invoices;
    private final CreditNoteService creditNotes;
    private final AuditLog auditLog;
    private final ObjectMapper json;

    public Reratings(Transactions transactions, InvoiceGenerator generator, InvoiceRepository invoices,
                     CreditNoteService creditNotes, AuditLog auditLog, ObjectMapper json) {
        this.transactions = transactions;
        this.generator = generator;
        this.invoices = invoices;
        this.creditNotes = creditNotes;
        this.auditLog = auditLog;
        this.json = json;
    }

    /** A re-rating and, while its schema exists, what it changes per project and metric. */
    public record Rerating(UUID id, UUID organisationId, String period, String status, Integer archiveFiles, String error,
                           JsonNode outcome, Instant startedAt, Instant finishedAt, Instant appliedAt,
                           List<RerateDiff.Row> changes) {}

    private record Run(UUID id, UUID organisationId, YearMonth period, String schema, String status) {}

    public Rerating find(UUID id) {
        return transactions.readOnly(c -> view(c, id));
    }

    /** Applies re-rating {@code id}; {@code pricingPlanId} re-prices an invoiced period under that version of its plan. */
    public Rerating apply(UUID id, UUID pricingPlanId, String actor, String requestId) {
        return transactions.inTransaction(c -> {
            Run run = Sql.one(c, "SELECT id, organisation_id, period, schema_name, status FROM reratings WHERE id = ? FOR UPDATE",
                    rs -> new Run(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), YearMonth.parse(rs.getString(3)),
                            rs.getString(4), rs.getString(5)), id).orElseThrow(() -> NotFoundException.of("Re-rating", id));
            if (!run.status().equals("computed")) {
                throw new ConflictException("Re-rating " + id + " is " + run.status() + ": only a computed one can be applied");
            }
            Map<String, Object> outcome = new LinkedHashMap<>();
            Optional<UUID> invoiceId = invoices.findId(c, run.organisationId(), run.period());
            if (invoiceId.isEmpty()) {
                if (pricingPlanId != null) {
                    throw new ConflictException(run.period() + " has no invoice to re-price; the totals are what a re-rating "
                            + "of it replaces (apply without pricingPlanId)");
                }
                outcome.put("kind", "totals_replaced");
            } else {
                reprice(c, run, invoices.find(c, invoiceId.get(), true).orElseThrow(), pricingPlanId, outcome, actor, requestId);
            }
            outcome.put("totalsReplaced", replaceTotals(c, run));
            outcome.put("lateEventsAbsorbed", Sql.update(c, """
                    UPDATE late_usage_events SET absorbed_by_rerating_id = ?
                     WHERE absorbed_by_rerating_id IS NULL
                       AND event_id IN (SELECT event_id FROM rerating_late_events WHERE rerating_id = ?)""", id, id));
            String text = json.valueToTree(outcome).toString();
            Sql.update(c, "UPDATE reratings SET status = 'applied', applied_at = now(), outcome = ?::jsonb WHERE id = ?", text, id);
            Sql.update(c, """
                    UPDATE reratings SET status = 'superseded'
                     WHERE organisation_id = ? AND period = ? AND status = 'computed' AND id <> ?""",
                    run.organisationId(), run.period().toString(), id);
            auditLog.record(c, new AuditEntry(actor, run.organisationId(), "rerating.applied", "rerating", id.toString(), null,
                    outcome, requestId));
            return view(c, id);
        });
    }

    private void reprice(Connection c, Run run, Invoice invoice, UUID pricingPlanId, Map<String, Object> outcome,
                         String actor, String requestId) throws SQLException {
        if (invoice.status() == InvoiceStatus.DRAFT) {
            throw new ConflictException("Invoice " + invoice.id() + " of " + run.period() + " is a draft: discard it (POST "
                    + "/api/v1/invoices/" + invoice.id() + "/void), apply the re-rating, then generate the invoice again");
        }
        if (invoice.status() == InvoiceStatus.VOID || invoice.status() == InvoiceStatus.UNCOLLECTIBLE) {
            throw new ConflictException("Invoice " + invoice.id() + " of " + run.period() + " is "
                    + invoice.status().name().toLowerCase(java.util.Locale.ROOT) + ": there is nothing to re-price");
        }
        UUID plan = pricingPlanId == null ? invoice.pricingPlanId() : pricingPlanId;
        if (pricingPlanId != null && !Sql.exists(c, """
                SELECT 1 FROM pricing_plans p JOIN pricing_plans i ON i.id = ? WHERE p.id = ? AND p.name = i.name
                   AND p.currency = i.currency""", invoice.pricingPlanId(), pricingPlanId)) {
            throw new ConflictException("Pricing plan " + pricingPlanId + " is not a version of invoice " + invoice.invoiceNumber()
                    + "'s plan " + invoice.pricingPlanId() + " in " + invoice.currency());
        }
        InvoiceDraft billed = generator.reprice(c, run.organisationId(), run.period(), invoice.pricingPlanId(), "public",
                billedLateEvents(c, run));
        InvoiceDraft rerated = generator.reprice(c, run.organisationId(), run.period(), plan, run.schema(), Map.of());
        long credit = billed.subtotalMinor() - rerated.subtotalMinor();
        outcome.put("invoiceId", invoice.id());
        outcome.put("pricingPlanId", plan);
        outcome.put("billedSubtotalMinor", billed.subtotalMinor());
        outcome.put("reratedSubtotalMinor", rerated.subtotalMinor());
        String description = "Re-rating of " + run.period() + (pricingPlanId == null ? ""
                : " at the corrected prices of plan " + plan) + " (invoice " + invoice.invoiceNumber() + ")";
        if (credit < 0) {
            // costs more: billed as an adjustment line of the period on the organisation's next invoice
            Sql.update(c, """
                    INSERT INTO rerating_adjustments (rerating_id, organisation_id, period, amount_minor, description)
                    VALUES (?, ?, ?, ?, ?)""", run.id(), run.organisationId(), run.period().toString(), -credit, description);
            outcome.put("kind", "adjustment_pending");
            outcome.put("adjustmentMinor", -credit);
            return;
        }
        Optional<CreditNote> note = credit == 0 ? Optional.empty() : creditNotes.creditRerating(c, invoice, credit,
                description, "re-rating " + run.id(), actor, requestId);
        outcome.put("kind", note.isPresent() ? "credit_note" : "unchanged");
        note.ifPresent(n -> {
            outcome.put("creditNoteId", n.id());
            outcome.put("creditNoteNumber", n.creditNoteNumber());
            outcome.put("creditNoteTotalMinor", n.totalMinor());
        });
    }

    /** The period's late events that invoices billed as adjustments (and no re-rating absorbed): billed usage too. */
    private static Map<UsageRow.Key, UsageQuantities> billedLateEvents(Connection c, Run run) throws SQLException {
        Map<UsageRow.Key, UsageQuantities> billed = new LinkedHashMap<>();
        for (UsageRow row : Sql.list(c, """
                SELECT project_id, metric_name, sum(metric_value), count(*), max(metric_value) FROM late_usage_events
                 WHERE organisation_id = ? AND period = ? AND adjusted_on_invoice_id IS NOT NULL
                   AND absorbed_by_rerating_id IS NULL
                 GROUP BY 1, 2""", rs -> new UsageRow(rs.getObject(1, UUID.class), null, rs.getString(2),
                new UsageQuantities(rs.getBigDecimal(3), rs.getLong(4), rs.getBigDecimal(5), rs.getBigDecimal(5)), null, true),
                run.organisationId(), run.period().toString())) {
            billed.put(row.key(), row.quantities());
        }
        return billed;
    }

    /** The period's month, days and hours of the live tables become the re-rated ones, final. */
    private static int replaceTotals(Connection c, Run run) throws SQLException {
        ZoneId zone = OrganisationRepository.timezone(c, run.organisationId());
        YearMonth period = run.period();
        return replace(c, run, "usage_aggregates", "period = ?", period.toString())
                + replace(c, run, "usage_daily", "day >= ? AND day <= ?", period.atDay(1), period.atEndOfMonth())
                + replace(c, run, "usage_hourly", "hour >= ? AND hour < ?",
                        Timestamp.from(period.atDay(1).atStartOfDay(zone).toInstant()),
                        Timestamp.from(period.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant()));
    }

    /** The organisation's rows of {@code table} where {@code range} holds become the re-rating's, final; how many. */
    private static int replace(Connection c, Run run, String table, String range, Object... bounds) throws SQLException {
        Object[] params = new Object[bounds.length + 1];
        params[0] = run.organisationId();
        System.arraycopy(bounds, 0, params, 1, bounds.length);
        String where = " WHERE organisation_id = ? AND " + range;
        Sql.update(c, "DELETE FROM public." + table + where, params);
        int rows = Sql.update(c, "INSERT INTO public." + table + " SELECT * FROM " + run.schema() + "." + table + where, params);
        Sql.update(c, "UPDATE public." + table + " SET is_final = true, updated_at = now()" + where, params);
        return rows;
    }

    private Rerating view(Connection c, UUID id) throws SQLException {
        return Sql.one(c, """
                SELECT id, organisation_id, period, status, archive_files, error, outcome::text, started_at, finished_at,
                       applied_at, schema_name FROM reratings WHERE id = ?""", rs -> {
                    String outcome = rs.getString(7);
                    List<RerateDiff.Row> changes = List.of("computed", "applied").contains(rs.getString(4))
                            ? RerateDiff.read(c, rs.getString(11), rs.getObject(2, UUID.class), rs.getString(3)) : List.of();
                    try {
                        return new Rerating(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                                rs.getString(4), (Integer) rs.getObject(5), rs.getString(6), outcome == null ? null
                                : json.readTree(outcome), Sql.instant(rs, 8), Sql.instant(rs, 9), Sql.instant(rs, 10), changes);
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new SQLException("reratings.outcome of " + id + " is not JSON", e);
                    }
                }, id).orElseThrow(() -> NotFoundException.of("Re-rating", id));
    }
}
