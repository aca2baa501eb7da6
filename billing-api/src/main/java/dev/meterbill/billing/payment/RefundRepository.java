package dev.meterbill.billing.payment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for refunds. Callers hold the lock of the refund's invoice. */
public final class RefundRepository {

    private static final String COLUMNS = """
            id, payment_id, razorpay_refund_id, amount_minor, currency, status, reason, failure_reason, request_key,
            created_at, updated_at""";

    public Optional<StoredRefund> find(Connection c, UUID id) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM refunds WHERE id = ?", id);
    }

    public Optional<StoredRefund> findByRazorpayId(Connection c, String razorpayRefundId) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM refunds WHERE razorpay_refund_id = ?", razorpayRefundId);
    }

    public Optional<StoredRefund> findByRequestKey(Connection c, String requestKey) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM refunds WHERE request_key = ?", requestKey);
    }

    /** The refunds of the payments of an invoice, oldest first. */
    public List<StoredRefund> forInvoice(Connection c, UUID invoiceId) throws SQLException {
        return many(c, "SELECT " + COLUMNS + """
                 FROM refunds WHERE payment_id IN (SELECT id FROM payments WHERE invoice_id = ?)
                 ORDER BY created_at, id
                """, invoiceId);
    }

    /** Refunds still pending that were asked for before {@code before}, oldest first. */
    public List<StoredRefund> pendingBefore(Connection c, Instant before, int limit) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement("SELECT " + COLUMNS
                + " FROM refunds WHERE status = 'pending' AND created_at <= ? ORDER BY created_at LIMIT ?")) {
            statement.setTimestamp(1, Timestamp.from(before));
            statement.setInt(2, limit);
            return list(statement);
        }
    }

    /** What refunds of the payment hold: pending and processed ones count, failed ones do not. */
    public long committedMinor(Connection c, UUID paymentId) throws SQLException {
        return sum(c, "SELECT coalesce(sum(amount_minor), 0) FROM refunds WHERE payment_id = ? AND status <> 'failed'",
                paymentId);
    }

    public long processedMinor(Connection c, UUID paymentId) throws SQLException {
        return sum(c, "SELECT coalesce(sum(amount_minor), 0) FROM refunds WHERE payment_id = ? AND status = 'processed'",
                paymentId);
    }

    public void insert(Connection c, StoredRefund r) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement("""
                INSERT INTO refunds (id, payment_id, razorpay_refund_id, amount_minor, currency, status, reason,
                                     failure_reason, request_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)) {
            statement.setObject(1, r.id());
            statement.setObject(2, r.paymentId());
            statement.setString(3, r.razorpayRefundId());
            statement.setLong(4, r.amountMinor());
            statement.setString(5, r.currency());
            statement.setString(6, r.status().wireName());
            statement.setString(7, r.reason());
            statement.setString(8, r.failureReason());
            statement.setString(9, r.requestKey());
            statement.executeUpdate();
        }
    }

    public void update(Connection c, StoredRefund r) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement("""
                UPDATE refunds SET razorpay_refund_id = ?, status = ?, failure_reason = ?, updated_at = now()
                 WHERE id = ?
                """)) {
            statement.setString(1, r.razorpayRefundId());
            statement.setString(2, r.status().wireName());
            statement.setString(3, r.failureReason());
            statement.setObject(4, r.id());
            statement.executeUpdate();
        }
    }

    private static long sum(Connection c, String sql, UUID paymentId) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setObject(1, paymentId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Optional<StoredRefund> one(Connection c, String sql, Object key) throws SQLException {
        List<StoredRefund> found = many(c, sql, key);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static List<StoredRefund> many(Connection c, String sql, Object key) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setObject(1, key);
            return list(statement);
        }
    }

    private static List<StoredRefund> list(PreparedStatement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            List<StoredRefund> refunds = new ArrayList<>();
            while (rs.next()) {
                refunds.add(new StoredRefund(rs.getObject("id", UUID.class), rs.getObject("payment_id", UUID.class),
                        rs.getString("razorpay_refund_id"), rs.getLong("amount_minor"), rs.getString("currency"),
                        RefundStatus.fromWire(rs.getString("status")), rs.getString("reason"),
                        rs.getString("failure_reason"), rs.getString("request_key"),
                        PaymentRepository.instant(rs, "created_at"), PaymentRepository.instant(rs, "updated_at")));
            }
            return refunds;
        }
    }
}
