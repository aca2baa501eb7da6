package dev.meterbill.billing.project;

import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.idempotency.Idempotency;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** HTTP for {@code /api/v1/organisations/{orgId}/projects}. */
public record ProjectHandler(ProjectService service, JsonBody jsonBody, Idempotency idempotency) {

    public void register(JavalinDefaultRoutingApi routes) {
        routes.post("/api/v1/organisations/{orgId}/projects", idempotency.wrap(this::create));
        routes.get("/api/v1/organisations/{orgId}/projects", this::list);
    }

    /** Body of {@code POST /organisations/{orgId}/projects}. */
    public record CreateRequest(String name) {}

    /** The creation response: the only time the API key is shown. */
    public record CreatedResponse(UUID id, UUID organisationId, String name, Instant createdAt, String apiKey,
                                  UUID apiKeyId) {}

    /** One entry of a project listing. */
    public record ProjectSummary(UUID id, String name, Instant createdAt) {}

    /** Response of {@code GET /organisations/{orgId}/projects}. */
    public record ListResponse(List<ProjectSummary> projects) {}

    private void create(Context ctx) {
        UUID organisationId = PathIds.uuid(ctx, "orgId", "Organisation");
        Caller caller = Authenticator.caller(ctx);
        service.authoriseCreate(caller, organisationId);
        CreateRequest body = jsonBody.read(ctx, CreateRequest.class);
        String name = ProjectService.validName(body.name());
        ProjectService.Created created = service.create(caller, RequestIds.of(ctx), organisationId, name);
        Project p = created.project();
        ctx.status(HttpStatus.CREATED).json(new CreatedResponse(p.id(), p.organisationId(), p.name(), p.createdAt(),
                created.apiKey().plainKey(), created.apiKey().id()));
    }

    private void list(Context ctx) {
        UUID organisationId = PathIds.uuid(ctx, "orgId", "Organisation");
        List<ProjectSummary> projects = service.list(Authenticator.caller(ctx), organisationId).stream()
                .map(p -> new ProjectSummary(p.id(), p.name(), p.createdAt()))
                .toList();
        ctx.json(new ListResponse(projects));
    }
}
