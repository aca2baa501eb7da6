package dev.meterbill.billing.portal;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.idempotency.Idempotency;
import dev.meterbill.billing.organisation.OrganisationRepository;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /organisations/{orgId}/portal-sessions} (the operator or the organisation's secret key): a link to
 * the customer portal that our user's own app hands to its signed-in customer, like a Stripe billing portal
 * session. The link opens once, within 15 minutes; the URL is answered once and never stored or logged.
 *
 * @param publicUrl where customers reach billing-api ({@code BILLING_PUBLIC_URL}); null: the request's own origin
 */
public record PortalSessionHandler(Transactions transactions, PortalSessions sessions,
                                   OrganisationRepository organisations, AuditLog auditLog, Idempotency idempotency,
                                   String publicUrl, Clock clock) {

    /** The answer: the link and until when it opens. */
    public record Created(UUID id, UUID organisationId, String url, Instant expiresAt) {}

    public void register(JavalinDefaultRoutingApi routes) {
        routes.post("/api/v1/organisations/{orgId}/portal-sessions", idempotency.wrap(this::create));
    }

    private void create(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        UUID organisationId = PathIds.uuid(ctx, "orgId", "Organisation");
        if (!caller.mayAccess(organisationId)) {
            throw NotFoundException.of("Organisation", organisationId);
        }
        PortalSessions.Link link = transactions.inTransaction(c -> {
            if (!organisations.exists(c, organisationId)) {
                throw NotFoundException.of("Organisation", organisationId);
            }
            PortalSessions.Link made = sessions.create(c, organisationId, caller.actor(), clock.instant());
            auditLog.record(c, new AuditEntry(caller.actor(), organisationId, "portal_session.created", "portal_session",
                    made.id().toString(), null, Map.of("expiresAt", made.expiresAt().toString()), RequestIds.of(ctx)));
            return made;
        });
        String origin = publicUrl != null ? publicUrl : ctx.scheme() + "://" + ctx.host();
        ctx.status(201).json(new Created(link.id(), organisationId, origin + "/portal/open/" + link.token(),
                link.expiresAt()));
    }
}
