package dev.meterbill.billing.hooks;

import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Sql;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.events.EventValidator;
import dev.meterbill.service.ApiKeyHash;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /api/v1/entitlements?projectId=&metric=}: our user's API asks, on each of its requests, whether a
 * project may still use a metric. A project's API key answers for its own project (projectId may be left out); an
 * organisation's secret key for any of its projects; the operator for any. Project keys are looked up through a
 * 10-second cache, like the gateway's: a revoked key is refused within 10 seconds.
 */
public final class EntitlementHandler {

    public static final String PATH = "/api/v1/entitlements";
    private static final String PROJECT = "meterbill.entitlement.project";
    private static final String BEARER = "bearer ";
    private static final Duration KEY_TTL = Duration.ofSeconds(10);

    private record ProjectKey(UUID projectId, UUID organisationId) {}

    private final Transactions transactions;
    private final Authenticator authenticator;
    private final Entitlements entitlements;
    /** Hash of a presented key: its project, or empty (not a live project key). */
    private final LoadingCache<String, Optional<ProjectKey>> keys;

    public EntitlementHandler(Transactions transactions, Authenticator authenticator, Entitlements entitlements) {
        this.transactions = transactions;
        this.authenticator = authenticator;
        this.entitlements = entitlements;
        // a revoked key is refused within KEY_TTL: an entry is reloaded in the background after half of it, and
        // never served older
        this.keys = entitlements.cache(KEY_TTL.dividedBy(2), KEY_TTL, hash -> transactions.readOnly(c -> Sql.one(c,
                "SELECT project_id, organisation_id FROM api_keys WHERE key_hash = ? AND kind = 'project'"
                        + " AND revoked_at IS NULL",
                rs -> new ProjectKey(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)), hash)));
    }

    public void register(JavalinDefaultRoutingApi routes) {
        routes.get(PATH, this::check);
    }

    /** Before the handler: a project key, else what the authenticator accepts (operator, secret key). */
    public void authenticate(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.length() > BEARER.length()
                && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            Optional<ProjectKey> project = projectKey(authorization.substring(BEARER.length()).strip());
            if (project.isPresent()) {
                ctx.attribute(PROJECT, project.get());
                return;
            }
        }
        authenticator.authenticate(ctx);
    }

    private Optional<ProjectKey> projectKey(String token) {
        return keys.get(ApiKeyHash.of(token));
    }

    private void check(Context ctx) throws IOException {
        String metric = ctx.queryParam("metric");
        String project = ctx.queryParam("projectId");
        FieldErrors errors = new FieldErrors();
        if (metric == null || !EventValidator.METRIC_NAME.matcher(metric).matches()) {
            errors.add("metric", "is required and must match " + EventValidator.METRIC_NAME.pattern());
        }
        UUID projectId = null;
        if (project != null) {
            try {
                projectId = UUID.fromString(project);
            } catch (IllegalArgumentException e) {
                errors.add("projectId", "must be a project id");
            }
        }
        ProjectKey key = ctx.attribute(PROJECT);
        if (key == null && project == null) {
            errors.add("projectId", "is required unless a project's API key asks");
        }
        errors.throwIfAny();
        UUID organisationId;
        if (key != null) {
            if (projectId != null && !projectId.equals(key.projectId())) {
                throw NotFoundException.of("Project", projectId);
            }
            projectId = key.projectId();
            organisationId = key.organisationId();
        } else {
            Caller caller = Authenticator.caller(ctx);
            UUID asked = projectId;
            organisationId = transactions.readOnly(c -> Sql.one(c, "SELECT organisation_id FROM projects WHERE id = ?",
                    rs -> rs.getObject(1, UUID.class), asked)).filter(caller::mayAccess)
                    .orElseThrow(() -> NotFoundException.of("Project", asked));
        }
        // written to the response here: a result left for Javalin is copied through a new 32 KiB buffer, which on
        // this route (asked on every request of our user's API) was most of the garbage and so of the collections
        ctx.contentType(ContentType.APPLICATION_JSON);
        ctx.outputStream().write(ctx.jsonMapper().toJsonString(entitlements.check(organisationId, projectId, metric),
                Entitlements.Answer.class).getBytes(StandardCharsets.UTF_8));
    }
}
