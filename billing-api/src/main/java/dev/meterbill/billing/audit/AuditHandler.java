package dev.meterbill.billing.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.http.CursorPage;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * HTTP for {@code GET /api/v1/audit-logs}: the trail of every mutation, newest first. An organisation
 * sees the rows of its own tenancy; the operator sees all, including plan changes that belong to no
 * tenant. Reading is not audited (it changes nothing).
 */
public record AuditHandler(Transactions transactions, AuditRepository repository, ObjectMapper json) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/api/v1/audit-logs", this::list);
    }

    /** One audit row; {@code before}/{@code after} are the recorded states. */
    public record EntryView(long id, Instant occurredAt, String actor, UUID organisationId, String action,
                            String entityType, String entityId, JsonNode before, JsonNode after, String requestId) {}

    /** Response; {@code nextBefore} is the cursor of the next page, null on the last one. */
    public record ListResponse(List<EntryView> entries, Long nextBefore) {}

    private void list(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        FieldErrors errors = new FieldErrors();
        CursorPage page = CursorPage.of(ctx, DEFAULT_LIMIT, MAX_LIMIT, errors);
        errors.throwIfAny();
        String entityType = blankToNull(ctx.queryParam("entityType"));
        String entityId = blankToNull(ctx.queryParam("entityId"));
        UUID scope = caller.isOperator() ? null : caller.organisationId();
        List<AuditRepository.StoredEntry> rows = transactions.readOnly(
                c -> repository.find(c, scope, entityType, entityId, page.before(), page.limit()));
        List<EntryView> entries = rows.stream().map(this::view).toList();
        ctx.json(new ListResponse(entries, page.next(rows, AuditRepository.StoredEntry::id)));
    }

    private EntryView view(AuditRepository.StoredEntry e) {
        return new EntryView(e.id(), e.occurredAt(), e.actor(), e.organisationId(), e.action(), e.entityType(),
                e.entityId(), parse(e.beforeState()), parse(e.afterState()), e.requestId());
    }

    private JsonNode parse(String state) {
        if (state == null) {
            return null;
        }
        try {
            return json.readTree(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit state is not JSON", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
