package dev.meterbill.billing.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Told of audit entries as they are written, on the same connection: what it writes commits with them. */
public interface AuditListener {

    void recorded(Connection connection, List<AuditEntry> entries) throws SQLException;
}
