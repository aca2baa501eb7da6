package dev.meterbill.billing.apikey;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Caller;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Issues keys inside the caller's transaction: stores the hash and writes the audit row, so a key
 * exists exactly when the organisation or project it belongs to does.
 */
public record ApiKeyIssuer(ApiKeyGenerator generator, ApiKeyRepository repository, AuditLog auditLog) {

    public static final String ENTITY_TYPE = "api_key";

    public IssuedKey issueSecretKey(Connection connection, Caller caller, String requestId, UUID organisationId)
            throws SQLException {
        IssuedKey key = generator.secretKey();
        repository.insertOrganisationKey(connection, organisationId, key);
        audit(connection, caller, requestId, organisationId, key, "organisation", null);
        return key;
    }

    public IssuedKey issueProjectKey(Connection connection, Caller caller, String requestId, UUID organisationId,
                                     UUID projectId) throws SQLException {
        IssuedKey key = generator.projectKey();
        repository.insertProjectKey(connection, organisationId, projectId, key);
        audit(connection, caller, requestId, organisationId, key, "project", projectId);
        return key;
    }

    private void audit(Connection connection, Caller caller, String requestId, UUID organisationId, IssuedKey key,
                       String kind, UUID projectId) throws SQLException {
        // Neither the plain key nor its hash goes into the audit trail: the prefix identifies it.
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("id", key.id());
        after.put("kind", kind);
        after.put("organisationId", organisationId);
        after.put("projectId", projectId);
        after.put("keyPrefix", key.displayPrefix());
        auditLog.record(connection,
                AuditEntry.created(caller.actor(), requestId, organisationId, ENTITY_TYPE, key.id(), after));
    }
}
