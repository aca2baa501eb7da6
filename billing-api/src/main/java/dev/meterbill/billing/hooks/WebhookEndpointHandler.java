package dev.meterbill.billing.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.ConflictException;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.billing.http.QueryParams;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.idempotency.Idempotency;
import dev.meterbill.billing.organisation.OrganisationPaths;
import dev.meterbill.billing.organisation.OrganisationRepository;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An organisation's webhook endpoints (the operator or the organisation's secret key): register, list, change,
 * delete, rotate the signing secret with an overlap, ping, and the delivery log with manual retries.
 */
public final class WebhookEndpointHandler {

    static final int MAX_ENDPOINTS = 10;
    static final int MAX_URL_LENGTH = 2048;
    static final int MAX_DESCRIPTION_LENGTH = 500;
    static final int MAX_OVERLAP_HOURS = 168;
    private static final String BASE = "/api/v1/organisations/{orgId}/webhook-endpoints";

    /** Body of create and change: a field left out of a change is kept. */
    public record EndpointRequest(String url, String description, List<String> eventTypes, Boolean enabled) {}

    /** Body of a secret rotation: how long the old secret still signs too (default 24 hours). */
    public record RotateRequest(Integer overlapHours) {}

    /** An endpoint as the API shows it; {@code secret} only in the answers that make one. */
    public record EndpointView(UUID id, UUID organisationId, String url, String description, List<String> eventTypes,
                               boolean enabled, String disabledReason, int consecutiveFailures,
                               Instant previousSecretUntil, Instant createdAt, Instant updatedAt,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

        static EndpointView of(WebhookRepository.Endpoint e, boolean withSecret) {
            return new EndpointView(e.id(), e.organisationId(), e.url(), e.description(), e.eventTypes(), e.enabled(),
                    e.disabledReason(), e.consecutiveFailures(), e.previousSecretUntil(), e.createdAt(), e.updatedAt(),
                    withSecret ? e.secret() : null);
        }
    }

    public record EndpointList(UUID organisationId, List<EndpointView> endpoints) {}

    public record DeliveryList(UUID endpointId, List<WebhookRepository.Delivery> deliveries) {}

    public record Pinged(String eventId) {}

    private final Transactions transactions;
    private final WebhookRepository repository;
    private final WebhookEvents events;
    private final OrganisationRepository organisations;
    private final WebhookTargets targets;
    private final AuditLog auditLog;
    private final JsonBody jsonBody;
    private final Idempotency idempotency;
    private final Clock clock;

    public WebhookEndpointHandler(Transactions transactions, WebhookRepository repository, WebhookEvents events,
                                  OrganisationRepository organisations, WebhookSettings settings, AuditLog auditLog,
                                  JsonBody jsonBody, Idempotency idempotency, Clock clock) {
        this.transactions = transactions;
        this.repository = repository;
        this.events = events;
        this.organisations = organisations;
        this.targets = new WebhookTargets(settings.localTargets());
        this.auditLog = auditLog;
        this.jsonBody = jsonBody;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    public void register(JavalinDefaultRoutingApi routes) {
        routes.post(BASE, idempotency.wrap(this::create));
        routes.get(BASE, this::list);
        routes.get(BASE + "/{endpointId}", this::get);
        routes.patch(BASE + "/{endpointId}", idempotency.wrap(this::change));
        routes.delete(BASE + "/{endpointId}", idempotency.wrap(this::delete));
        routes.post(BASE + "/{endpointId}/secret", idempotency.wrap(this::rotate));
        routes.post(BASE + "/{endpointId}/ping", idempotency.wrap(this::ping));
        routes.get(BASE + "/{endpointId}/deliveries", this::deliveries);
        routes.post(BASE + "/{endpointId}/deliveries/{deliveryId}/retry", idempotency.wrap(this::retry));
    }

    private UUID organisation(Context ctx, Caller caller) {
        return OrganisationPaths.visible(ctx, caller, transactions, organisations).id();
    }

    private WebhookRepository.Endpoint endpoint(Connection c, UUID organisationId, Context ctx, boolean forUpdate)
            throws SQLException {
        UUID id = PathIds.uuid(ctx, "endpointId", "Webhook endpoint");
        return repository.find(c, organisationId, id, forUpdate)
                .orElseThrow(() -> NotFoundException.of("Webhook endpoint", id));
    }

    private void create(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        UUID organisationId = organisation(ctx, caller);
        EndpointRequest body = jsonBody.read(ctx, EndpointRequest.class);
        FieldErrors errors = new FieldErrors();
        if (body.url() == null) {
            errors.add("url", "is required");
        }
        List<String> types = validate(errors, body);
        errors.throwIfAny();
        WebhookRepository.Endpoint made = transactions.inTransaction(c -> {
            if (repository.list(c, organisationId).size() >= MAX_ENDPOINTS) {
                throw new ConflictException("An organisation has at most " + MAX_ENDPOINTS + " webhook endpoints");
            }
            WebhookRepository.Endpoint e = repository.insert(c, organisationId, body.url().strip(), blankToNull(body.description()),
                    types == null ? List.of() : types, body.enabled() == null || body.enabled(), Signatures.newSecret());
            audit(c, caller, ctx, e, "webhook_endpoint.created", null);
            return e;
        });
        ctx.status(201).json(EndpointView.of(made, true));
    }

    private void list(Context ctx) {
        UUID organisationId = organisation(ctx, Authenticator.caller(ctx));
        ctx.json(new EndpointList(organisationId, transactions.readOnly(c -> repository.list(c, organisationId)).stream()
                .map(e -> EndpointView.of(e, false)).toList()));
    }

    private void get(Context ctx) {
        UUID organisationId = organisation(ctx, Authenticator.caller(ctx));
        ctx.json(EndpointView.of(transactions.readOnly(c -> endpoint(c, organisationId, ctx, false)), false));
    }

    private void change(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        UUID organisationId = organisation(ctx, caller);
        EndpointRequest body = jsonBody.read(ctx, EndpointRequest.class);
        FieldErrors errors = new FieldErrors();
        List<String> types = validate(errors, body);
        errors.throwIfAny();
        WebhookRepository.Endpoint changed = transactions.inTransaction(c -> {
            WebhookRepository.Endpoint e = endpoint(c, organisationId, ctx, true);
            boolean enabled = body.enabled() == null ? e.enabled() : body.enabled();
            boolean reenabled = enabled && !e.enabled();
            WebhookRepository.Endpoint after = new WebhookRepository.Endpoint(e.id(), e.organisationId(),
                    body.url() == null ? e.url() : body.url().strip(),
                    body.description() == null ? e.description() : blankToNull(body.description()),
                    types == null ? e.eventTypes() : types, enabled, e.secret(), e.previousSecret(),
                    e.previousSecretUntil(), reenabled ? 0 : e.consecutiveFailures(),
                    enabled ? null : (e.enabled() ? "disabled by " + caller.actor() : e.disabledReason()),
                    e.createdAt(), e.updatedAt());
            repository.update(c, after);
            if (reenabled) {
                repository.pendingDueNow(c, e.id(), clock.instant());
            }
            audit(c, caller, ctx, after, "webhook_endpoint.updated", e);
            return repository.find(c, organisationId, e.id(), false).orElseThrow();
        });
        ctx.json(EndpointView.of(changed, false));
    }

    private void delete(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        UUID organisationId = organisation(ctx, caller);
        WebhookRepository.Endpoint deleted = transactions.inTransaction(c -> {
            WebhookRepository.Endpoint e = endpoint(c, organisationId, ctx, true);
            repository.delete(c, e.id());
            audit(c, caller, ctx, null, "webhook_endpoint.deleted", e);
            return e;
        });
        ctx.json(EndpointView.of(deleted, false));
    }

    private void rotate(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        UUID organisationId = organisation(ctx, caller);
        RotateRequest body = ctx.bodyAsBytes().length == 0 ? new RotateRequest(null) : jsonBody.read(ctx, RotateRequest.class);
        int hours = body.overlapHours() == null ? 24 : body.overlapHours();
        if (hours < 0 || hours > MAX_OVERLAP_HOURS) {
            new FieldErrors().add("overlapHours", "must be 0 to " + MAX_OVERLAP_HOURS).throwIfAny();
        }
        WebhookRepository.Endpoint rotated = transactions.inTransaction(c -> {
            WebhookRepository.Endpoint e = endpoint(c, organisationId, ctx, true);
            WebhookRepository.Endpoint after = new WebhookRepository.Endpoint(e.id(), e.organisationId(), e.url(),
                    e.description(), e.eventTypes(), e.enabled(), Signatures.newSecret(), hours == 0 ? null : e.secret(),
                    hours == 0 ? null : clock.instant().plus(Duration.ofHours(hours)), e.consecutiveFailures(),
                    e.disabledReason(), e.createdAt(), e.updatedAt());
            repository.update(c, after);
            audit(c, caller, ctx, after, "webhook_endpoint.secret_rotated", e);
            return repository.find(c, organisationId, e.id(), false).orElseThrow();
        });
        ctx.json(EndpointView.of(rotated, true));
    }

    private void ping(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        UUID organisationId = organisation(ctx, caller);
        String eventId = transactions.inTransaction(c -> {
            WebhookRepository.Endpoint e = endpoint(c, organisationId, ctx, false);
            if (!e.enabled()) {
                throw new ConflictException("Webhook endpoint " + e.id() + " is disabled; enable it first");
            }
            return events.emit(c, organisationId, EventTypes.PING, Map.of("endpointId", e.id(), "message",
                    "ping from meterbill"), e.id());
        });
        ctx.status(202).json(new Pinged(eventId));
    }

    private void deliveries(Context ctx) {
        UUID organisationId = organisation(ctx, Authenticator.caller(ctx));
        String status = ctx.queryParam("status");
        FieldErrors errors = new FieldErrors();
        if (status != null && !List.of("pending", "delivered", "failed").contains(status)) {
            errors.add("status", "must be pending, delivered or failed");
        }
        int limit = QueryParams.intParam(ctx, "limit", 100, 1, 1000, errors);
        int offset = QueryParams.intParam(ctx, "offset", 0, 0, 1_000_000, errors);
        errors.throwIfAny();
        ctx.json(transactions.readOnly(c -> {
            WebhookRepository.Endpoint e = endpoint(c, organisationId, ctx, false);
            return new DeliveryList(e.id(), repository.deliveries(c, e.id(), status, limit, offset));
        }));
    }

    private void retry(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        UUID organisationId = organisation(ctx, caller);
        ctx.json(transactions.inTransaction(c -> {
            WebhookRepository.Endpoint e = endpoint(c, organisationId, ctx, false);
            UUID id = PathIds.uuid(ctx, "deliveryId", "Delivery");
            WebhookRepository.Delivery d = repository.delivery(c, e.id(), id, true)
                    .orElseThrow(() -> NotFoundException.of("Delivery", id));
            repository.retryNow(c, d.id(), clock.instant());
            auditLog.record(c, new AuditEntry(caller.actor(), organisationId, "webhook_delivery.retried",
                    "webhook_delivery", d.id().toString(), d, null, RequestIds.of(ctx)));
            return repository.delivery(c, e.id(), id, false).orElseThrow();
        }));
    }

    /** The event types of the request, checked and without repeats; null when it names none. */
    private List<String> validate(FieldErrors errors, EndpointRequest body) {
        if (body.url() != null) {
            if (body.url().length() > MAX_URL_LENGTH) {
                errors.add("url", "must be at most " + MAX_URL_LENGTH + " characters");
            } else {
                String refusal = targets.refusal(body.url().strip());
                if (refusal != null) {
                    errors.add("url", refusal);
                }
            }
        }
        if (body.description() != null && body.description().length() > MAX_DESCRIPTION_LENGTH) {
            errors.add("description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        if (body.eventTypes() == null) {
            return null;
        }
        LinkedHashSet<String> types = new LinkedHashSet<>();
        for (int i = 0; i < body.eventTypes().size(); i++) {
            String type = body.eventTypes().get(i);
            if (type == null || !EventTypes.ALL.contains(type)) {
                errors.add("eventTypes[" + i + "]", "must be one of " + String.join(", ", EventTypes.ALL));
            } else {
                types.add(type);
            }
        }
        return new ArrayList<>(types);
    }


    private void audit(Connection c, Caller caller, Context ctx, WebhookRepository.Endpoint after, String action,
                       WebhookRepository.Endpoint before) throws SQLException {
        WebhookRepository.Endpoint subject = after != null ? after : before;
        auditLog.record(c, new AuditEntry(caller.actor(), subject.organisationId(), action, "webhook_endpoint",
                subject.id().toString(), before == null ? null : EndpointView.of(before, false),
                after == null ? null : EndpointView.of(after, false), RequestIds.of(ctx)));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
