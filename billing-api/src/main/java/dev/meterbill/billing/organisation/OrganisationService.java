package dev.meterbill.billing.organisation;

import dev.meterbill.billing.apikey.ApiKeyIssuer;
import dev.meterbill.billing.apikey.IssuedKey;
import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.ForbiddenException;
import dev.meterbill.billing.error.NotFoundException;
import java.util.UUID;

/** Creates and reads organisations; only the operator creates them. */
public record OrganisationService(Transactions transactions, OrganisationRepository organisations, ApiKeyIssuer keys,
                                  AuditLog auditLog) {

    static final String ENTITY_TYPE = "organisation";

    /** An organisation with the only copy of its secret key. */
    public record Created(Organisation organisation, IssuedKey secretKey) {}

    /** Refuses a caller who may not create organisations; handlers call it before reading the body. */
    public void authoriseCreate(Caller caller) {
        if (!caller.isOperator()) {
            throw new ForbiddenException("Only the operator can create organisations");
        }
    }

    /** Creates the organisation, its secret key and their audit rows in one transaction. */
    public Created create(Caller caller, String requestId, NewOrganisation request) {
        authoriseCreate(caller);
        UUID id = UUID.randomUUID();
        return transactions.inTransaction(c -> {
            Organisation organisation = organisations.insert(c, id, request);
            auditLog.record(c, AuditEntry.created(caller.actor(), requestId, id, ENTITY_TYPE, id, organisation));
            IssuedKey secretKey = keys.issueSecretKey(c, caller, requestId, id);
            return new Created(organisation, secretKey);
        });
    }

    /** The organisation, if the caller may see it; a foreign id is reported as not found. */
    public Organisation get(Caller caller, UUID id) {
        if (!caller.mayAccess(id)) {
            throw notFound(id);
        }
        return transactions.readOnly(c -> organisations.find(c, id)).orElseThrow(() -> notFound(id));
    }

    private static NotFoundException notFound(UUID id) {
        return NotFoundException.of("Organisation", id);
    }
}
