package dev.meterbill.billing.project;

import dev.meterbill.billing.apikey.ApiKeyIssuer;
import dev.meterbill.billing.apikey.ApiKeyRepository.StoredKey;
import dev.meterbill.billing.apikey.ApiKeyRepository;
import dev.meterbill.billing.apikey.IssuedKey;
import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.ConflictException;
import dev.meterbill.billing.error.NotFoundException;
import java.util.List;
import java.util.UUID;

/**
 * Project API keys after creation: list (masked), rotate, revoke.
 *
 * <p>Rotation issues a new key and leaves the existing ones valid: a producer deploys the new key,
 * then revokes the old one, without a moment in which no key works. Revocation is immediate in the
 * database; gateways cache key lookups for 10 seconds, so a revoked key is refused everywhere within
 * that time (well inside the 30-second promise).
 */
public record ProjectKeyService(Transactions transactions, ProjectService projects, ApiKeyRepository keys,
                                ApiKeyIssuer issuer, AuditLog auditLog) {

    /** More active keys than this on one project means old keys are not being revoked. */
    static final int MAX_ACTIVE_KEYS = 10;

    /** A new key with the only copy of its plain value. */
    public record Rotated(StoredKey key, String plainKey) {}

    public List<StoredKey> list(Caller caller, UUID projectId) {
        return transactions.readOnly(c -> {
            projects.findVisible(c, caller, projectId);
            return keys.listByProject(c, projectId);
        });
    }

    public Rotated rotate(Caller caller, String requestId, UUID projectId) {
        return transactions.inTransaction(c -> {
            Project project = projects.findVisible(c, caller, projectId);
            long active = keys.listByProject(c, projectId).stream().filter(k -> k.revokedAt() == null).count();
            if (active >= MAX_ACTIVE_KEYS) {
                throw new ConflictException("Project " + projectId + " has " + active
                        + " active API keys; revoke unused ones before issuing another");
            }
            IssuedKey issued = issuer.issueProjectKey(c, caller, requestId, project.organisationId(), projectId);
            StoredKey stored = keys.listByProject(c, projectId).stream()
                    .filter(k -> k.id().equals(issued.id())).findFirst().orElseThrow();
            return new Rotated(stored, issued.plainKey());
        });
    }

    /** Revokes the key; revoking a revoked key changes nothing and answers the same. */
    public StoredKey revoke(Caller caller, String requestId, UUID projectId, UUID keyId) {
        return transactions.inTransaction(c -> {
            projects.findVisible(c, caller, projectId);
            StoredKey before = keys.lockProjectKey(c, projectId, keyId)
                    .orElseThrow(() -> NotFoundException.of("API key", keyId));
            if (before.revokedAt() != null) {
                return before;
            }
            keys.revoke(c, keyId);
            StoredKey after = keys.lockProjectKey(c, projectId, keyId).orElseThrow();
            auditLog.record(c, new AuditEntry(caller.actor(), before.organisationId(), ApiKeyIssuer.ENTITY_TYPE
                    + ".revoked", ApiKeyIssuer.ENTITY_TYPE, keyId.toString(), before, after, requestId));
            return after;
        });
    }
}
