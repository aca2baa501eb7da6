package dev.meterbill.billing.payment;

import dev.meterbill.billing.db.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for refunds. Callers hold the lock of the refund's invoice. */
public final class RefundRepository {

    private static final String COLUMNS = """
            id, payment_id, razorpay_refund_id, amount_minor, currency, status, reason, failure_reason, request_key,
            credit_note_id, created_at, updated_at""";

    public Optional<StoredRefund> find(Connection c, UUID id) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM refunds WHERE id = ?", RefundRepository::map, id);
    }

    public Optional<StoredRefund> findByRazorpayId(Connection c, String razorpayRefundId) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM refunds WHERE razorpay_refund_id = ?", RefundRepository::map,
                razorpayRefundId);
    }

    public Optional<StoredRefund> findByRequestKey(Connection c, String requestKey) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM refunds WHERE request_key = ?", RefundRepository::map, requestKey);
    }

    /** The refunds of the payments of an invoice, oldest first. */
    public List<StoredRefund> forInvoice(Connection c, UUID invoiceId) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + """
                 FROM refunds WHERE payment_id IN (SELECT id FROM payments WHERE invoice_id = ?)
                 ORDER BY created_at, id
                """, RefundRepository::map, invoiceId);
    }

    /** Refunds still pending that were asked for before {@code before}, oldest first. */
    public List<StoredRefund> pendingBefore(Connection c, Instant before, int limit) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS
                + " FROM refunds WHERE status = 'pending' AND created_at <= ? ORDER BY created_at LIMIT ?",
                RefundRepository::map, Timestamp.from(before), limit);
    }

    /** What refunds of the payment hold: pending and processed ones count, failed ones do not. */
    public long committedMinor(Connection c, UUID paymentId) throws SQLException {
        return Sql.single(c, "SELECT coalesce(sum(amount_minor), 0) FROM refunds WHERE payment_id = ? AND status <> 'failed'",
                rs -> rs.getLong(1), paymentId);
    }

    public long processedMinor(Connection c, UUID paymentId) throws SQLException {
        return Sql.single(c, "SELECT coalesce(sum(amount_minor), 0) FROM refunds WHERE payment_id = ? AND status = 'processed'",
                rs -> rs.getLong(1), paymentId);
    }

    public void insert(Connection c, StoredRefund r) throws SQLException {
        Sql.update(c, """
                INSERT INTO refunds (id, payment_id, razorpay_refund_id, amount_minor, currency, status, reason,
                                     failure_reason, request_key, credit_note_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, r.id(), r.paymentId(), r.razorpayRefundId(), r.amountMinor(), r.currency(), r.status().wireName(),
                r.reason(), r.failureReason(), r.requestKey(), r.creditNoteId());
    }

    /** Records the credit note issued for a refund that named none. */
    public void linkCreditNote(Connection c, UUID refundId, UUID creditNoteId) throws SQLException {
        Sql.update(c, "UPDATE refunds SET credit_note_id = ? WHERE id = ? AND credit_note_id IS NULL", creditNoteId,
                refundId);
    }

    public void update(Connection c, StoredRefund r) throws SQLException {
        Sql.update(c, """
                UPDATE refunds SET razorpay_refund_id = ?, status = ?, failure_reason = ?, updated_at = now()
                 WHERE id = ?
                """, r.razorpayRefundId(), r.status().wireName(), r.failureReason(), r.id());
    }

    private static StoredRefund map(ResultSet rs) throws SQLException {
        return new StoredRefund(rs.getObject("id", UUID.class), rs.getObject("payment_id", UUID.class),
                rs.getString("razorpay_refund_id"), rs.getLong("amount_minor"), rs.getString("currency"),
                RefundStatus.fromWire(rs.getString("status")), rs.getString("reason"),
                rs.getString("failure_reason"), rs.getString("request_key"), rs.getObject("credit_note_id", UUID.class),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"));
    }
}
