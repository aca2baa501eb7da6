package dev.meterbill.billing.audit;

import java.util.Objects;
import java.util.UUID;

/**
 * One row of the audit trail.
 *
 * @param actor          {@code operator} or {@code org:<id>}
 * @param organisationId the tenant the change belongs to, if any
 * @param action         what happened, e.g. {@code organisation.created}
 * @param beforeState    the entity before the change, null for creations; serialised as JSON
 * @param afterState     the entity after the change, null for deletions; serialised as JSON
 * @param requestId      the request that caused the change, to correlate with server logs
 */
public record AuditEntry(String actor, UUID organisationId, String action, String entityType, String entityId,
                         Object beforeState, Object afterState, String requestId) {

    public AuditEntry {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(entityType, "entityType");
        Objects.requireNonNull(entityId, "entityId");
    }

    /** A creation: there is no before state. */
    public static AuditEntry created(String actor, String requestId, UUID organisationId, String entityType,
                                     Object entityId, Object afterState) {
        return new AuditEntry(actor, organisationId, entityType + ".created", entityType, entityId.toString(),
                null, afterState, requestId);
    }
}
