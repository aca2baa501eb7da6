package dev.meterbill.billing.organisation;

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
import java.util.UUID;

/** HTTP for {@code /api/v1/organisations}. */
public record OrganisationHandler(OrganisationService service, JsonBody jsonBody, Idempotency idempotency) {

    public void register(JavalinDefaultRoutingApi routes) {
        routes.post("/api/v1/organisations", idempotency.wrap(this::create));
        routes.get("/api/v1/organisations/{orgId}", this::get);
    }

    /** Body of {@code POST /organisations}; currency and timezone are optional. */
    public record CreateRequest(String name, String billingEmail, String currency, String timezone, String gstin,
                                String stateCode, String address) {}

    /** An organisation as the API shows it. */
    public record OrganisationResponse(UUID id, String name, String billingEmail, String currency, String timezone,
                                       String gstin, String stateCode, String address, Instant createdAt) {
        static OrganisationResponse of(Organisation o) {
            return new OrganisationResponse(o.id(), o.name(), o.billingEmail(), o.currency(), o.timezone(),
                    o.gstin(), o.stateCode(), o.address(), o.createdAt());
        }
    }

    /** The creation response: the only time the secret key is shown. */
    public record CreatedResponse(UUID id, String name, String billingEmail, String currency, String timezone,
                                  String gstin, String stateCode, String address, Instant createdAt,
                                  String secretKey) {}

    private void create(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        service.authoriseCreate(caller);
        CreateRequest body = jsonBody.read(ctx, CreateRequest.class);
        NewOrganisation request = NewOrganisation.of(body.name(), body.billingEmail(), body.currency(),
                body.timezone(), body.gstin(), body.stateCode(), body.address());
        OrganisationService.Created created = service.create(caller, RequestIds.of(ctx), request);
        Organisation o = created.organisation();
        ctx.status(HttpStatus.CREATED).json(new CreatedResponse(o.id(), o.name(), o.billingEmail(), o.currency(),
                o.timezone(), o.gstin(), o.stateCode(), o.address(), o.createdAt(), created.secretKey().plainKey()));
    }

    private void get(Context ctx) {
        UUID id = PathIds.uuid(ctx, "orgId", "Organisation");
        ctx.json(OrganisationResponse.of(service.get(Authenticator.caller(ctx), id)));
    }
}
