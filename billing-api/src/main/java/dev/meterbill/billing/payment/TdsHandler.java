package dev.meterbill.billing.payment;

import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.idempotency.Idempotency;
import dev.meterbill.events.Decimals;
import dev.meterbill.events.TextRules;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.math.BigDecimal;
import java.util.UUID;
import java.util.regex.Pattern;

/** HTTP for {@code /api/v1/invoices/{invoiceId}/tds}. */
public record TdsHandler(TdsService service, JsonBody jsonBody, Idempotency idempotency) {

    /** Income-tax sections such as 194J, 194C, 194Q or 194J(1)(b)... at most 20 characters. */
    static final Pattern SECTION = Pattern.compile("[0-9]{3}[A-Z]{0,2}(\\([0-9a-z]+\\))?");
    static final int MAX_CERTIFICATE_LENGTH = 100;

    public void register(JavalinDefaultRoutingApi routes) {
        routes.post("/api/v1/invoices/{invoiceId}/tds", idempotency.wrap(this::record));
        routes.get("/api/v1/invoices/{invoiceId}/tds", this::list);
    }

    /**
     * Body of {@code POST /invoices/{id}/tds}: the section, a rate (percent of the taxable value) or an amount
     * (major units), and the certificate's reference once it is known.
     */
    public record TdsRequest(String section, BigDecimal ratePercent, BigDecimal amount, String certificateRef) {}

    private void record(Context ctx) {
        UUID invoiceId = PathIds.uuid(ctx, "invoiceId", "Invoice");
        Caller caller = Authenticator.caller(ctx);
        service.authorise(caller, invoiceId);
        TdsRequest body = jsonBody.read(ctx, TdsRequest.class);
        FieldErrors errors = new FieldErrors();
        if (body.section() == null || !SECTION.matcher(body.section()).matches()) {
            errors.add("section", "is required: an income-tax section such as 194J or 194C");
        }
        if ((body.ratePercent() == null) == (body.amount() == null)) {
            errors.add("ratePercent", "give either ratePercent (of the taxable value) or amount");
        } else if (body.ratePercent() != null && (body.ratePercent().signum() <= 0
                || body.ratePercent().compareTo(BigDecimal.valueOf(TdsRules.MAX_SHARE_PERCENT)) > 0
                || Decimals.violation(body.ratePercent(), 2, 3) != null)) {
            errors.add("ratePercent", "must be more than 0 and at most " + TdsRules.MAX_SHARE_PERCENT
                    + ", with at most two decimals");
        }
        String certificate = body.certificateRef() == null || body.certificateRef().isBlank() ? null
                : body.certificateRef().strip();
        if (TextRules.violation(certificate, MAX_CERTIFICATE_LENGTH) != null) {
            errors.add("certificateRef", TextRules.violation(certificate, MAX_CERTIFICATE_LENGTH));
        }
        errors.throwIfAny();
        ctx.status(HttpStatus.CREATED).json(service.record(caller, RequestIds.of(ctx), invoiceId,
                new TdsService.TdsCommand(body.section(), body.ratePercent(), body.amount(), certificate)));
    }

    private void list(Context ctx) {
        UUID invoiceId = PathIds.uuid(ctx, "invoiceId", "Invoice");
        ctx.json(service.forInvoice(Authenticator.caller(ctx), invoiceId));
    }
}
