package dev.meterbill.billing.organisation;

import dev.meterbill.billing.apikey.ApiKeyIssuer;
import dev.meterbill.billing.apikey.IssuedKey;
import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.ForbiddenException;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.billing.period.PeriodCalendar;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Creates, lists, reads and changes organisations. Only the operator creates and lists them; an
 * organisation reads and changes its own details (the operator any).
 */
public record OrganisationService(Transactions transactions, OrganisationRepository organisations, ApiKeyIssuer keys,
                                  AuditLog auditLog, Clock clock) {

    static final String ENTITY_TYPE = "organisation";

    /** An organisation with the only copy of its secret key. */
    public record Created(Organisation organisation, IssuedKey secretKey) {}

    /** A requested change: null keeps a field, an empty text clears an optional one. */
    public record Change(String name, String billingEmail, String currency, String timezone, String gstin,
                         String stateCode, Address address) {}

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
        requireVisible(caller, id);
        Instant now = clock.instant();
        return transactions.readOnly(c -> organisations.find(c, id)).orElseThrow(() -> notFound(id)).asOf(now);
    }

    /** Organisations by name, for the operator. */
    public List<Organisation> list(Caller caller, String nameContains, String gstin, int limit, int offset) {
        if (!caller.isOperator()) {
            throw new ForbiddenException("Only the operator lists organisations");
        }
        Instant now = clock.instant();
        return transactions.readOnly(c -> organisations.list(c, nameContains, gstin, limit, offset)).stream()
                .map(o -> o.asOf(now)).toList();
    }

    public void authoriseChange(Caller caller, UUID id) {
        requireVisible(caller, id);
    }

    /**
     * Changes the organisation's details, audited. Its drafts take the new GST registration; issued
     * invoices keep the details they were issued with. A new timezone takes effect with the next period
     * ({@link PeriodCalendar#timezoneSwitch}); asking for the timezone in force cancels a pending change.
     */
    public Organisation change(Caller caller, String requestId, UUID id, Change change) {
        requireVisible(caller, id);
        Instant now = clock.instant();
        return transactions.inTransaction(c -> {
            Organisation stored = organisations.lock(c, id).orElseThrow(() -> notFound(id));
            Organisation before = stored.asOf(now);
            NewOrganisation merged = NewOrganisation.merged(before, change.name(), change.billingEmail(),
                    change.currency(), change.timezone(), change.gstin(), change.stateCode(), change.address());
            // a pending change stays stored as it is (late events before its instant keep the old timezone)
            // until another change replaces it
            String timezone = stored.timezone();
            Organisation.PendingTimezone pending = stored.pendingTimezone();
            if (change.timezone() != null) {
                timezone = before.timezone();
                if (merged.timezone().equals(before.timezone())) {
                    pending = null;
                } else {
                    PeriodCalendar.TimezoneSwitch at = PeriodCalendar.timezoneSwitch(ZoneId.of(before.timezone()),
                            ZoneId.of(merged.timezone()), now);
                    pending = new Organisation.PendingTimezone(merged.timezone(), at.firstPeriod(), at.at());
                }
            }
            Organisation after = organisations.update(c, id, merged, timezone, pending).asOf(now);
            if (!Objects.equals(before.stateCode(), after.stateCode()) || !Objects.equals(before.gstin(), after.gstin())
                    || !Objects.equals(before.address().country(), after.address().country())) {
                organisations.refreshDrafts(c, id, after.stateCode(), after.gstin(),
                        !NewOrganisation.INDIA.equals(after.address().country()));
            }
            auditLog.record(c, new AuditEntry(caller.actor(), id, ENTITY_TYPE + ".updated", ENTITY_TYPE, id.toString(),
                    before, after, requestId));
            return after;
        });
    }

    private static void requireVisible(Caller caller, UUID id) {
        if (!caller.mayAccess(id)) {
            throw notFound(id);
        }
    }

    private static NotFoundException notFound(UUID id) {
        return NotFoundException.of("Organisation", id);
    }
}
