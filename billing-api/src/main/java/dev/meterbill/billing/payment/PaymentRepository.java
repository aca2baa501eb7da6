package dev.meterbill.billing.payment;

import dev.meterbill.billing.db.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for payments. Callers lock the invoice first, then its payments, always in that order. */
public final class PaymentRepository {

    private static final String COLUMNS = """
            id, invoice_id, razorpay_order_id, razorpay_payment_id, amount_minor, currency, status, refunded_minor,
            method, failure_reason, provisional, mismatch_reason, created_at, updated_at, captured_at""";

    public Optional<StoredPayment> findByRazorpayId(Connection c, String razorpayPaymentId, boolean forUpdate)
            throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM payments WHERE razorpay_payment_id = ?"
                + (forUpdate ? " FOR UPDATE" : ""), PaymentRepository::map, razorpayPaymentId);
    }

    public Optional<StoredPayment> find(Connection c, UUID id, boolean forUpdate) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM payments WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""),
                PaymentRepository::map, id);
    }

    /** The invoice's payments, oldest first. */
    public List<StoredPayment> forInvoice(Connection c, UUID invoiceId) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM payments WHERE invoice_id = ? ORDER BY created_at, id",
                PaymentRepository::map, invoiceId);
    }

    public void insert(Connection c, StoredPayment p) throws SQLException {
        Sql.update(c, """
                INSERT INTO payments (id, invoice_id, razorpay_order_id, razorpay_payment_id, amount_minor, currency,
                                      status, refunded_minor, method, failure_reason, provisional, mismatch_reason,
                                      captured_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, p.id(), p.invoiceId(), p.razorpayOrderId(), p.razorpayPaymentId(), p.amountMinor(), p.currency(),
                p.status().wireName(), p.refundedMinor(), p.method(), p.failureReason(), p.provisional(),
                p.mismatchReason(), capturedAt(p));
    }

    public void update(Connection c, StoredPayment p) throws SQLException {
        Sql.update(c, """
                UPDATE payments SET amount_minor = ?, currency = ?, status = ?, refunded_minor = ?, method = ?,
                       failure_reason = ?, provisional = ?, mismatch_reason = ?, captured_at = ?, updated_at = now()
                 WHERE id = ?
                """, p.amountMinor(), p.currency(), p.status().wireName(), p.refundedMinor(), p.method(),
                p.failureReason(), p.provisional(), p.mismatchReason(), capturedAt(p), p.id());
    }

    private static OffsetDateTime capturedAt(StoredPayment p) {
        return p.capturedAt() == null ? null : p.capturedAt().atOffset(ZoneOffset.UTC);
    }

    private static StoredPayment map(ResultSet rs) throws SQLException {
        return new StoredPayment(rs.getObject("id", UUID.class), rs.getObject("invoice_id", UUID.class),
                rs.getString("razorpay_order_id"), rs.getString("razorpay_payment_id"), rs.getLong("amount_minor"),
                rs.getString("currency"), PaymentStatus.fromWire(rs.getString("status")), rs.getLong("refunded_minor"),
                rs.getString("method"), rs.getString("failure_reason"), rs.getBoolean("provisional"),
                rs.getString("mismatch_reason"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"),
                Sql.instant(rs, "captured_at"));
    }
}
