package dev.meterbill.billing.portal;

import dev.meterbill.billing.db.Sql;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Portal sessions: a single-use link (15 minutes to open) that starts a session of a few hours held in an
 * HttpOnly cookie. Tokens are 32 random bytes; only their SHA-256 is stored.
 */
public final class PortalSessions {

    /** How long a link can be opened. */
    public static final Duration LINK_LIFETIME = Duration.ofMinutes(15);
    /** How long the session it opens lasts. */
    public static final Duration SESSION_LIFETIME = Duration.ofHours(4);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    /** A link made: the token to put in the URL (shown once), and until when it opens. */
    public record Link(UUID id, String token, Instant expiresAt) {}

    /** A session opened by a link: the cookie value (shown once) and its CSRF token. */
    public record Opened(UUID organisationId, String cookie, String csrfToken, Instant expiresAt) {}

    /** A live session. */
    public record Session(UUID id, UUID organisationId, String csrfToken, Instant expiresAt) {}

    public Link create(Connection c, UUID organisationId, String actor, Instant now) throws SQLException {
        String token = token();
        UUID id = UUID.randomUUID();
        Instant expires = now.plus(LINK_LIFETIME);
        Sql.update(c, "INSERT INTO portal_sessions (id, organisation_id, link_hash, link_expires_at, created_by)"
                + " VALUES (?, ?, ?, ?, ?)", id, organisationId, hash(token), expires.atOffset(ZoneOffset.UTC), actor);
        return new Link(id, token, expires);
    }

    /** Opens the session of a link that was never opened and has not expired; a second try gets nothing. */
    public Optional<Opened> open(Connection c, String linkToken, Instant now) throws SQLException {
        if (!wellFormed(linkToken)) {
            return Optional.empty();
        }
        String cookie = token();
        String csrf = token();
        Instant expires = now.plus(SESSION_LIFETIME);
        return Sql.one(c, """
                UPDATE portal_sessions SET opened_at = ?, session_hash = ?, session_expires_at = ?, csrf_token = ?
                 WHERE link_hash = ? AND opened_at IS NULL AND link_expires_at > ?
                RETURNING organisation_id
                """, rs -> new Opened(rs.getObject(1, UUID.class), cookie, csrf, expires), now.atOffset(ZoneOffset.UTC),
                hash(cookie), expires.atOffset(ZoneOffset.UTC), csrf, hash(linkToken), now.atOffset(ZoneOffset.UTC));
    }

    /** The live session a cookie holds, if any. */
    public Optional<Session> find(Connection c, String cookie, Instant now) throws SQLException {
        if (!wellFormed(cookie)) {
            return Optional.empty();
        }
        return Sql.one(c, """
                SELECT id, organisation_id, csrf_token, session_expires_at FROM portal_sessions
                 WHERE session_hash = ? AND ended_at IS NULL AND session_expires_at > ?
                """, rs -> new Session(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                Sql.instant(rs, 4)), hash(cookie), now.atOffset(ZoneOffset.UTC));
    }

    public void end(Connection c, UUID sessionId, Instant now) throws SQLException {
        Sql.update(c, "UPDATE portal_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                now.atOffset(ZoneOffset.UTC), sessionId);
    }

    static boolean wellFormed(String token) {
        return token != null && TOKEN.matcher(token).matches();
    }

    private static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
