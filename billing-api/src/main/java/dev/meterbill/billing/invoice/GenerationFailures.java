package dev.meterbill.billing.invoice;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.StorableText;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.ForbiddenException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The record of invoice generations that failed, per organisation and period: written on the run's
 * connection (so it commits with the invoices of the others), audited when a failure is new, reopened
 * or changes its reason (a repeat only counts an attempt), resolved with the invoice that finally
 * succeeds, and listed for the operator.
 */
public final class GenerationFailures {

    static final String ENTITY_TYPE = "invoice_generation_failure";
    static final int MAX_REASON_LENGTH = 2000;

    private final Transactions transactions;
    private final GenerationFailureRepository repository = new GenerationFailureRepository();
    private final AuditLog auditLog;

    public GenerationFailures(Transactions transactions, AuditLog auditLog) {
        this.transactions = transactions;
        this.auditLog = auditLog;
    }

    void record(Connection c, YearMonth period, Map<UUID, String> reasons, String actor, String requestId)
            throws SQLException {
        Map<UUID, String> storable = new LinkedHashMap<>();
        reasons.forEach((organisation, reason) -> storable.put(organisation, storableReason(reason)));
        List<AuditEntry> audit = new ArrayList<>();
        for (GenerationFailureRepository.Recorded recorded : repository.record(c, period, storable)) {
            if (recorded.changed()) {
                audit.add(new AuditEntry(actor, recorded.organisationId(), ENTITY_TYPE + ".recorded", ENTITY_TYPE,
                        recorded.id().toString(), null, state(recorded.organisationId(), period, recorded.reason(),
                        recorded.attempts(), null), requestId));
            }
        }
        auditLog.recordAll(c, audit);
    }

    void resolve(Connection c, YearMonth period, Map<UUID, UUID> invoiceByOrganisation, String actor, String requestId)
            throws SQLException {
        List<AuditEntry> audit = new ArrayList<>();
        for (GenerationFailureRepository.Resolved resolved : repository.resolve(c, period, invoiceByOrganisation)) {
            audit.add(new AuditEntry(actor, resolved.organisationId(), ENTITY_TYPE + ".resolved", ENTITY_TYPE,
                    resolved.id().toString(), null, state(resolved.organisationId(), period, null, resolved.attempts(),
                    resolved.invoiceId()), requestId));
        }
        auditLog.recordAll(c, audit);
    }

    /** Records one organisation's failure in a transaction of its own (for a generation that then fails as a whole). */
    void recordAlone(UUID organisationId, YearMonth period, String reason, String actor, String requestId) {
        transactions.inOwnTransaction(c -> {
            record(c, period, Map.of(organisationId, reason), actor, requestId);
            return null;
        });
    }

    /** Refuses an organisation key (403): failures are the operator's to handle. */
    public void authorise(Caller caller) {
        if (!caller.isOperator()) {
            throw new ForbiddenException("Only the operator can read failed invoice generations");
        }
    }

    /** Failures for the operator; an organisation key is refused (403). */
    public List<GenerationFailure> list(Caller caller, YearMonth period, UUID organisationId, Boolean open, int limit,
                                        int offset) {
        authorise(caller);
        return transactions.readOnly(c -> repository.list(c, period, organisationId, open, limit, offset));
    }

    /** Failures not resolved yet, for the metric. */
    public long openCount() {
        return transactions.readOnly(repository::countOpen);
    }

    /**
     * Why a generation failed, for the operator: the database's own words when it refused the
     * invoice, otherwise the exception's.
     */
    static String reasonOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                ServerErrorMessage server = psql.getServerErrorMessage();
                return "the database refused the invoice (SQLState " + server.getSQLState() + "): " + server.getMessage()
                        + (server.getDetail() == null ? "" : " (" + server.getDetail() + ")");
            }
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    private static String storableReason(String reason) {
        String text = StorableText.of(reason, MAX_REASON_LENGTH);
        return text == null || text.isBlank() ? "unknown" : text;
    }

    private static Map<String, Object> state(UUID organisationId, YearMonth period, String reason, int attempts,
                                             UUID invoiceId) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("organisationId", organisationId);
        state.put("period", period.toString());
        if (reason != null) {
            state.put("reason", reason);
        }
        state.put("attempts", attempts);
        if (invoiceId != null) {
            state.put("invoiceId", invoiceId);
        }
        return state;
    }
}
