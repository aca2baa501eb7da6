package dev.meterbill.billing.organisation;

import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.billing.http.QueryParams;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.idempotency.Idempotency;
import dev.meterbill.events.TextRules;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** HTTP for {@code /api/v1/organisations}. */
public record OrganisationHandler(OrganisationService service, JsonBody jsonBody, Idempotency idempotency) {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    public void register(JavalinDefaultRoutingApi routes) {
        routes.post("/api/v1/organisations", idempotency.wrap(this::create));
        routes.get("/api/v1/organisations", this::list);
        routes.get("/api/v1/organisations/{orgId}", this::get);
        routes.patch("/api/v1/organisations/{orgId}", idempotency.wrap(this::change));
    }

    /** A postal address in a request; {@code stateCode} may be given here or at the top. */
    public record AddressRequest(String line1, String line2, String city, String postalCode, String stateCode,
                                 String country) {
        Address address() {
            return new Address(line1, line2, city, postalCode, stateCode, country);
        }
    }

    /** Body of {@code POST /organisations}; currency, timezone, GSTIN and address are optional. */
    public record CreateRequest(String name, String billingEmail, String currency, String timezone, String gstin,
                                String stateCode, AddressRequest address) {}

    /** Body of {@code PATCH /organisations/{id}}: a field left out is kept, an empty text clears an optional one. */
    public record ChangeRequest(String name, String billingEmail, String currency, String timezone, String gstin,
                                String stateCode, AddressRequest address) {}

    /** An organisation as the API shows it. */
    public record OrganisationResponse(UUID id, String name, String billingEmail, String currency, String timezone,
                                       String gstin, String stateCode, Address address,
                                       Organisation.PendingTimezone pendingTimezone, Instant createdAt,
                                       Instant updatedAt) {
        static OrganisationResponse of(Organisation o) {
            return new OrganisationResponse(o.id(), o.name(), o.billingEmail(), o.currency(), o.timezone(), o.gstin(),
                    o.stateCode(), o.address(), o.pendingTimezone(), o.createdAt(), o.updatedAt());
        }
    }

    /** The creation response: the only time the secret key is shown. */
    public record CreatedResponse(UUID id, String name, String billingEmail, String currency, String timezone,
                                  String gstin, String stateCode, Address address, Instant createdAt,
                                  String secretKey) {}

    /** A page of organisations. */
    public record ListResponse(List<OrganisationResponse> organisations, int limit, int offset) {}

    private void create(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        service.authoriseCreate(caller);
        CreateRequest body = jsonBody.read(ctx, CreateRequest.class);
        NewOrganisation request = NewOrganisation.of(body.name(), body.billingEmail(), body.currency(),
                body.timezone(), body.gstin(), body.stateCode(), body.address() == null ? null : body.address().address());
        OrganisationService.Created created = service.create(caller, RequestIds.of(ctx), request);
        Organisation o = created.organisation();
        ctx.status(HttpStatus.CREATED).json(new CreatedResponse(o.id(), o.name(), o.billingEmail(), o.currency(),
                o.timezone(), o.gstin(), o.stateCode(), o.address(), o.createdAt(), created.secretKey().plainKey()));
    }

    /** {@code ?name=&gstin=&limit=&offset=}, operator only. */
    private void list(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        FieldErrors errors = new FieldErrors();
        String name = ctx.queryParam("name");
        if (name != null && TextRules.violation(name, NewOrganisation.MAX_NAME_LENGTH) != null) {
            errors.add("name", TextRules.violation(name, NewOrganisation.MAX_NAME_LENGTH));
        }
        String gstin = ctx.queryParam("gstin") == null ? null : ctx.queryParam("gstin").strip().toUpperCase(Locale.ROOT);
        if (gstin != null && Gstin.violation(gstin) != null) {
            errors.add("gstin", Gstin.violation(gstin));
        }
        int limit = QueryParams.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
        int offset = QueryParams.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE, errors);
        errors.throwIfAny();
        ctx.json(new ListResponse(service.list(caller, name == null || name.isBlank() ? null : name.strip(), gstin,
                limit, offset).stream().map(OrganisationResponse::of).toList(), limit, offset));
    }

    private void get(Context ctx) {
        UUID id = PathIds.uuid(ctx, "orgId", "Organisation");
        ctx.json(OrganisationResponse.of(service.get(Authenticator.caller(ctx), id)));
    }

    private void change(Context ctx) {
        UUID id = PathIds.uuid(ctx, "orgId", "Organisation");
        Caller caller = Authenticator.caller(ctx);
        service.authoriseChange(caller, id);
        ChangeRequest body = jsonBody.read(ctx, ChangeRequest.class);
        ctx.json(OrganisationResponse.of(service.change(caller, RequestIds.of(ctx), id, new OrganisationService.Change(
                body.name(), body.billingEmail(), body.currency(), body.timezone(), body.gstin(), body.stateCode(),
                body.address() == null ? null : body.address().address()))));
    }
}
