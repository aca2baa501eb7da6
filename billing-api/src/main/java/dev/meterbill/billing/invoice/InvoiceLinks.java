package dev.meterbill.billing.invoice;

import dev.meterbill.billing.db.Sql;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The unguessable token of an issued invoice's hosted page ({@code /i/{token}}): 32 random bytes, made once
 * per invoice and kept, so every e-mail and every retry of one carries the same link.
 */
public final class InvoiceLinks {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

    /** The invoice's token, made now if it has none. */
    public String ensure(Connection c, UUID invoiceId) throws SQLException {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        Sql.update(c, "INSERT INTO invoice_links (invoice_id, token) VALUES (?, ?) ON CONFLICT (invoice_id) DO NOTHING",
                invoiceId, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        return Sql.one(c, "SELECT token FROM invoice_links WHERE invoice_id = ?", rs -> rs.getString(1), invoiceId)
                .orElseThrow();
    }

    /** The invoice a token opens; anything not shaped like a token opens none, without a query. */
    public Optional<UUID> invoiceOf(Connection c, String token) throws SQLException {
        if (token == null || !SHAPE.matcher(token).matches()) {
            return Optional.empty();
        }
        return Sql.one(c, "SELECT invoice_id FROM invoice_links WHERE token = ?", rs -> rs.getObject(1, UUID.class), token);
    }
}
