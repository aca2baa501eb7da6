package dev.meterbill.billing.project;

import dev.meterbill.billing.apikey.ApiKeyRepository.StoredKey;
import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.idempotency.Idempotency;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** HTTP for {@code /api/v1/projects/{projectId}/api-keys}. */
public record ProjectKeyHandler(ProjectKeyService service, Idempotency idempotency) {

    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/api/v1/projects/{projectId}/api-keys", this::list);
        routes.post("/api/v1/projects/{projectId}/api-keys", idempotency.wrap(this::rotate));
        routes.delete("/api/v1/projects/{projectId}/api-keys/{keyId}", idempotency.wrap(this::revoke));
    }

    /** A key as listings show it: its first characters only. */
    public record KeyView(UUID id, UUID projectId, String prefix, String maskedKey, boolean active, Instant createdAt,
                          Instant revokedAt) {
        static KeyView of(StoredKey key) {
            return new KeyView(key.id(), key.projectId(), key.prefix(), key.prefix() + "…", key.revokedAt() == null,
                    key.createdAt(), key.revokedAt());
        }
    }

    /** Response of a rotation: the only time the new key is shown. */
    public record RotatedResponse(UUID id, UUID projectId, String apiKey, String prefix, Instant createdAt) {}

    /** Response of the listing. */
    public record ListResponse(List<KeyView> apiKeys) {}

    private void list(Context ctx) {
        ctx.json(new ListResponse(service.list(Authenticator.caller(ctx), projectId(ctx)).stream()
                .map(KeyView::of).toList()));
    }

    private void rotate(Context ctx) {
        ProjectKeyService.Rotated rotated = service.rotate(Authenticator.caller(ctx), RequestIds.of(ctx), projectId(ctx));
        StoredKey key = rotated.key();
        ctx.status(HttpStatus.CREATED).json(new RotatedResponse(key.id(), key.projectId(), rotated.plainKey(),
                key.prefix(), key.createdAt()));
    }

    private void revoke(Context ctx) {
        UUID projectId = projectId(ctx);
        UUID keyId = PathIds.uuid(ctx, "keyId", "API key");
        ctx.json(KeyView.of(service.revoke(Authenticator.caller(ctx), RequestIds.of(ctx), projectId, keyId)));
    }

    private static UUID projectId(Context ctx) {
        return PathIds.uuid(ctx, "projectId", "Project");
    }
}
