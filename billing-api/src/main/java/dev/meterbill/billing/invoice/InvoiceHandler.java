package dev.meterbill.billing.invoice;

import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.error.ValidationException;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.billing.http.QueryParams;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.idempotency.Idempotency;
import dev.meterbill.billing.period.PeriodCalendar;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

/** HTTP for {@code /api/v1/invoices}. */
public record InvoiceHandler(InvoiceService service, GenerationFailures failures, JsonBody jsonBody,
                             Idempotency idempotency) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    public void register(JavalinDefaultRoutingApi routes) {
        routes.post("/api/v1/invoices/generate", idempotency.wrap(this::generate));
        routes.get("/api/v1/invoices", this::list);
        routes.get("/api/v1/invoices/{invoiceId}", this::get);
        routes.post("/api/v1/invoices/{invoiceId}/issue", idempotency.wrap(this::issue));
        routes.post("/api/v1/invoices/{invoiceId}/void", idempotency.wrap(this::voidInvoice));
        routes.get("/api/v1/invoice-generation-failures", this::listFailures);
        routes.get("/api/v1/organisations/{orgId}/upcoming-invoice", this::upcoming);
    }

    private void upcoming(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        UUID organisationId = PathIds.uuid(ctx, "orgId", "Organisation");
        ctx.json(service.upcoming(caller, organisationId, optionalPeriod(ctx)));
    }

    /** Body of {@code POST /invoices/generate}. */
    public record GenerateRequest(String period, String organisationId) {}

    /** Response of {@code GET /invoices}. */
    public record ListResponse(List<InvoiceView> invoices) {}

    /** Response of {@code GET /invoice-generation-failures}. */
    public record FailuresResponse(List<GenerationFailure> failures) {}

    private void generate(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        if (!caller.isOperator()) {
            // refused before the body is validated: whatever it holds, only the operator generates
            service.authoriseGenerate(caller, namedOrganisation(ctx));
        }
        GenerateRequest body = jsonBody.read(ctx, GenerateRequest.class);
        YearMonth period = PeriodCalendar.parse(body.period());
        UUID organisationId = body.organisationId() == null ? null : uuid("organisationId", body.organisationId());
        ctx.json(service.generate(caller, RequestIds.of(ctx), period, organisationId));
    }

    /** The organisation the body names, if it can be read at all; only to answer 404 for another tenant's id. */
    private UUID namedOrganisation(Context ctx) {
        try {
            GenerateRequest body = jsonBody.parse(ctx.bodyAsBytes(), GenerateRequest.class);
            return body == null || body.organisationId() == null ? null : UUID.fromString(body.organisationId());
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private void list(Context ctx) {
        FieldErrors errors = new FieldErrors();
        UUID organisationId = optionalUuid(ctx, "organisationId", errors);
        YearMonth period = optionalPeriod(ctx);
        String statusParam = ctx.queryParam("status");
        InvoiceStatus status = null;
        if (statusParam != null && !statusParam.isBlank()) {
            try {
                status = InvoiceStatus.fromWire(statusParam);
            } catch (IllegalArgumentException e) {
                errors.add("status", "must be one of draft, issued, paid, void, uncollectible");
            }
        }
        int limit = QueryParams.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
        int offset = QueryParams.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE, errors);
        errors.throwIfAny();
        ctx.json(new ListResponse(service.list(Authenticator.caller(ctx), organisationId, period, status, limit, offset)
                .stream().map(invoice -> InvoiceView.of(invoice, false)).toList()));
    }

    /** {@code ?period=&organisationId=&status=open|resolved&limit=&offset=}, operator only. */
    private void listFailures(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        failures.authorise(caller);
        FieldErrors errors = new FieldErrors();
        UUID organisationId = optionalUuid(ctx, "organisationId", errors);
        YearMonth period = optionalPeriod(ctx);
        String statusParam = ctx.queryParam("status");
        Boolean open = null;
        if (statusParam != null && !statusParam.isBlank()) {
            switch (statusParam) {
                case "open" -> open = true;
                case "resolved" -> open = false;
                default -> errors.add("status", "must be open or resolved");
            }
        }
        int limit = QueryParams.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
        int offset = QueryParams.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE, errors);
        errors.throwIfAny();
        ctx.json(new FailuresResponse(failures.list(caller, period, organisationId, open, limit, offset)));
    }

    private static UUID optionalUuid(Context ctx, String name, FieldErrors errors) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            errors.add(name, "must be an organisation id");
            return null;
        }
    }

    /** {@code ?period=YYYY-MM}, or null when absent; a malformed period is refused at once. */
    private static YearMonth optionalPeriod(Context ctx) {
        String value = ctx.queryParam("period");
        return value == null || value.isBlank() ? null : PeriodCalendar.parse(value);
    }

    private void get(Context ctx) {
        ctx.json(InvoiceView.of(service.get(Authenticator.caller(ctx), invoiceId(ctx)), true));
    }

    private void issue(Context ctx) {
        ctx.json(InvoiceView.of(service.issue(Authenticator.caller(ctx), RequestIds.of(ctx), invoiceId(ctx)), true));
    }

    private void voidInvoice(Context ctx) {
        ctx.json(service.voidInvoice(Authenticator.caller(ctx), RequestIds.of(ctx), invoiceId(ctx)));
    }

    private static UUID invoiceId(Context ctx) {
        return PathIds.uuid(ctx, "invoiceId", "Invoice");
    }

    private static UUID uuid(String field, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ValidationException.ofField(field, "must be an organisation id");
        }
    }
}
