package dev.meterbill.billing.creditnote;

import dev.meterbill.billing.db.Sql;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL for credit notes; the database keeps them immutable and within their invoice's total. */
public final class CreditNoteRepository {

    private static final String COLUMNS = """
            id, invoice_id, organisation_id, credit_note_number, reason, memo, currency, subtotal_minor, cgst_minor,
            sgst_minor, igst_minor, total_minor, issued_at""";

    /** An invoice line as a credit sees it: its row id, amount and quantity, and what notes already credited. */
    record CreditableLine(long id, String description, BigDecimal quantity, BigDecimal unitPrice, long amountMinor,
                          long creditedMinor, BigDecimal creditedQuantity) {}

    /** The invoice's lines in their order (line 1 first) with what is credited of each. */
    List<CreditableLine> lines(Connection c, UUID invoiceId) throws SQLException {
        return Sql.list(c, """
                SELECT l.id, l.description, l.quantity, l.unit_price, l.amount_minor,
                       coalesce(sum(cl.amount_minor), 0), coalesce(sum(cl.quantity), 0)
                  FROM invoice_line_items l LEFT JOIN credit_note_lines cl ON cl.invoice_line_id = l.id
                 WHERE l.invoice_id = ?
                 GROUP BY l.id ORDER BY l.id
                """, rs -> new CreditableLine(rs.getLong(1), rs.getString(2), rs.getBigDecimal(3), rs.getBigDecimal(4),
                rs.getLong(5), rs.getLong(6), rs.getBigDecimal(7)), invoiceId);
    }

    /** What the invoice's notes credited so far. */
    CreditNoteTax.Amounts credited(Connection c, UUID invoiceId) throws SQLException {
        return Sql.single(c, """
                SELECT coalesce(sum(subtotal_minor), 0), coalesce(sum(cgst_minor), 0), coalesce(sum(sgst_minor), 0),
                       coalesce(sum(igst_minor), 0)
                  FROM credit_notes WHERE invoice_id = ?
                """, rs -> new CreditNoteTax.Amounts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)),
                invoiceId);
    }

    /**
     * Inserts an issued note (issued now, whatever its issuedAt); {@code lineIds} maps the invoice line numbers
     * of its lines to their row ids.
     */
    void insert(Connection c, CreditNote note, Map<Integer, Long> lineIds) throws SQLException {
        Sql.update(c, """
                INSERT INTO credit_notes (id, invoice_id, organisation_id, credit_note_number, reason, memo, currency,
                                          subtotal_minor, cgst_minor, sgst_minor, igst_minor, total_minor)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, note.id(), note.invoiceId(), note.organisationId(), note.creditNoteNumber(),
                note.reason().wireName(), note.memo(), note.currency(), note.subtotalMinor(), note.cgstMinor(),
                note.sgstMinor(), note.igstMinor(), note.totalMinor());
        for (CreditNote.Line line : note.lines()) {
            Sql.update(c, """
                    INSERT INTO credit_note_lines (credit_note_id, invoice_line_id, description, quantity, amount_minor)
                    VALUES (?, ?, ?, ?, ?)
                    """, note.id(), line.invoiceLine() == null ? null : lineIds.get(line.invoiceLine()),
                    line.description(), line.quantity(), line.amountMinor());
        }
    }

    public Optional<CreditNote> find(Connection c, UUID id) throws SQLException {
        List<CreditNote> found = query(c, "id = ?", id);
        return found.stream().findFirst();
    }

    public List<CreditNote> forInvoice(Connection c, UUID invoiceId) throws SQLException {
        return query(c, "invoice_id = ?", invoiceId);
    }

    public List<CreditNote> forOrganisation(Connection c, UUID organisationId) throws SQLException {
        return query(c, "organisation_id = ?", organisationId);
    }

    private List<CreditNote> query(Connection c, String where, UUID id) throws SQLException {
        List<CreditNote> headers = Sql.list(c, "SELECT " + COLUMNS + " FROM credit_notes WHERE " + where
                + " ORDER BY issued_at, credit_note_number", CreditNoteRepository::header, id);
        if (headers.isEmpty()) {
            return headers;
        }
        Map<UUID, List<CreditNote.Line>> lines = new HashMap<>();
        Sql.list(c, """
                SELECT cl.credit_note_id, cl.description, cl.quantity, cl.amount_minor,
                       (SELECT count(*) FROM invoice_line_items x
                         WHERE x.invoice_id = l.invoice_id AND x.id <= l.id) AS line_number
                  FROM credit_note_lines cl JOIN credit_notes n ON n.id = cl.credit_note_id
                  LEFT JOIN invoice_line_items l ON l.id = cl.invoice_line_id
                 WHERE n.""" + where + " ORDER BY cl.id", rs -> {
                    BigDecimal quantity = rs.getBigDecimal(3);
                    long number = rs.getLong(5);
                    lines.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(new CreditNote.Line(
                            rs.wasNull() ? null : (int) number, rs.getString(2),
                            quantity == null ? null : quantity.stripTrailingZeros(), rs.getLong(4)));
                    return null;
                }, id);
        List<CreditNote> notes = new ArrayList<>();
        for (CreditNote h : headers) {
            notes.add(new CreditNote(h.id(), h.invoiceId(), h.organisationId(), h.creditNoteNumber(), h.reason(), h.memo(),
                    h.currency(), h.subtotalMinor(), h.cgstMinor(), h.sgstMinor(), h.igstMinor(), h.totalMinor(),
                    h.issuedAt(), lines.getOrDefault(h.id(), List.of())));
        }
        return notes;
    }

    private static CreditNote header(ResultSet rs) throws SQLException {
        return new CreditNote(rs.getObject("id", UUID.class), rs.getObject("invoice_id", UUID.class),
                rs.getObject("organisation_id", UUID.class), rs.getString("credit_note_number"),
                CreditReason.fromWire(rs.getString("reason")), rs.getString("memo"), rs.getString("currency"),
                rs.getLong("subtotal_minor"), rs.getLong("cgst_minor"), rs.getLong("sgst_minor"),
                rs.getLong("igst_minor"), rs.getLong("total_minor"), Sql.instant(rs, "issued_at"), List.of());
    }
}
