package dev.meterbill.billing.delivery;

import dev.meterbill.billing.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * The e-mails of tax documents still to send: written in the transaction that issues the document, so an
 * issued invoice is never left without its e-mail, and at most once per document.
 */
public final class EmailOutbox {

    /** How often a failing e-mail is tried before it is marked failed (about 3 days of backoff). */
    static final int MAX_ATTEMPTS = 20;

    /** One e-mail to send. */
    public record Email(UUID id, UUID organisationId, String documentType, UUID documentId, String recipient,
                        int attempts) {}

    /** Queues the e-mail of a document to the organisation's billing e-mail; a document already queued is not. */
    public void enqueue(Connection c, String documentType, UUID documentId, UUID organisationId) throws SQLException {
        Sql.update(c, """
                INSERT INTO email_outbox (id, organisation_id, document_type, document_id, recipient)
                SELECT ?, id, ?, ?, billing_email FROM organisations WHERE id = ?
                ON CONFLICT (document_type, document_id) DO NOTHING
                """, UUID.randomUUID(), documentType, documentId, organisationId);
    }

    /** The next e-mail due, locked for the caller's transaction; another sender skips it meanwhile. */
    public Optional<Email> claimNextDue(Connection c, Instant now) throws SQLException {
        return Sql.one(c, """
                SELECT id, organisation_id, document_type, document_id, recipient, attempts FROM email_outbox
                 WHERE status = 'pending' AND next_attempt_at <= ?
                 ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
                """, rs -> new Email(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getObject(4, UUID.class), rs.getString(5), rs.getInt(6)), now.atOffset(ZoneOffset.UTC));
    }

    public void markSent(Connection c, UUID id, String messageId) throws SQLException {
        Sql.update(c, "UPDATE email_outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1,"
                + " message_id = ?, last_error = NULL WHERE id = ?", messageId, id);
    }

    /** Tries again after {@link #backoff}, or gives up after {@link #MAX_ATTEMPTS}. */
    public void markFailedAttempt(Connection c, Email email, String error, Instant now) throws SQLException {
        int attempts = email.attempts() + 1;
        Sql.update(c, "UPDATE email_outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                attempts >= MAX_ATTEMPTS ? "failed" : "pending", attempts,
                now.plus(backoff(attempts)).atOffset(ZoneOffset.UTC),
                error == null ? null : error.substring(0, Math.min(error.length(), 2000)), email.id());
    }

    /** 30 s, 1 min, 2 min... doubling up to 6 hours. */
    static Duration backoff(int attempts) {
        long seconds = 30L << Math.min(attempts - 1, 10);
        return Duration.ofSeconds(Math.min(seconds, Duration.ofHours(6).toSeconds()));
    }
}
