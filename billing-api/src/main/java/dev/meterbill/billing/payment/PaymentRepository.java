package dev.meterbill.billing.payment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
        return one(c, "SELECT " + COLUMNS + " FROM payments WHERE razorpay_payment_id = ?"
                + (forUpdate ? " FOR UPDATE" : ""), razorpayPaymentId);
    }

    public Optional<StoredPayment> find(Connection c, UUID id, boolean forUpdate) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM payments WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""), id);
    }

    /** The invoice's payments, oldest first. */
    public List<StoredPayment> forInvoice(Connection c, UUID invoiceId) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM payments WHERE invoice_id = ? ORDER BY created_at, id")) {
            statement.setObject(1, invoiceId);
            try (ResultSet rs = statement.executeQuery()) {
                List<StoredPayment> payments = new ArrayList<>();
                while (rs.next()) {
                    payments.add(map(rs));
                }
                return payments;
            }
        }
    }

    public void insert(Connection c, StoredPayment p) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement("""
                INSERT INTO payments (id, invoice_id, razorpay_order_id, razorpay_payment_id, amount_minor, currency,
                                      status, refunded_minor, method, failure_reason, provisional, mismatch_reason,
                                      captured_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)) {
            statement.setObject(1, p.id());
            statement.setObject(2, p.invoiceId());
            statement.setString(3, p.razorpayOrderId());
            statement.setString(4, p.razorpayPaymentId());
            bindState(statement, 5, p);
            statement.setObject(13, p.capturedAt() == null ? null : p.capturedAt().atOffset(ZoneOffset.UTC));
            statement.executeUpdate();
        }
    }

    public void update(Connection c, StoredPayment p) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement("""
                UPDATE payments SET amount_minor = ?, currency = ?, status = ?, refunded_minor = ?, method = ?,
                       failure_reason = ?, provisional = ?, mismatch_reason = ?, captured_at = ?, updated_at = now()
                 WHERE id = ?
                """)) {
            bindState(statement, 1, p);
            statement.setObject(9, p.capturedAt() == null ? null : p.capturedAt().atOffset(ZoneOffset.UTC));
            statement.setObject(10, p.id());
            statement.executeUpdate();
        }
    }

    private static void bindState(PreparedStatement statement, int first, StoredPayment p) throws SQLException {
        statement.setLong(first, p.amountMinor());
        statement.setString(first + 1, p.currency());
        statement.setString(first + 2, p.status().wireName());
        statement.setLong(first + 3, p.refundedMinor());
        statement.setString(first + 4, p.method());
        statement.setString(first + 5, p.failureReason());
        statement.setBoolean(first + 6, p.provisional());
        statement.setString(first + 7, p.mismatchReason());
    }

    private static Optional<StoredPayment> one(Connection c, String sql, Object key) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setObject(1, key);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    private static StoredPayment map(ResultSet rs) throws SQLException {
        return new StoredPayment(rs.getObject("id", UUID.class), rs.getObject("invoice_id", UUID.class),
                rs.getString("razorpay_order_id"), rs.getString("razorpay_payment_id"), rs.getLong("amount_minor"),
                rs.getString("currency"), PaymentStatus.fromWire(rs.getString("status")), rs.getLong("refunded_minor"),
                rs.getString("method"), rs.getString("failure_reason"), rs.getBoolean("provisional"),
                rs.getString("mismatch_reason"), instant(rs, "created_at"), instant(rs, "updated_at"),
                instant(rs, "captured_at"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
