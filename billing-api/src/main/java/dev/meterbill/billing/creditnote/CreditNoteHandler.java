package dev.meterbill.billing.creditnote;

import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.idempotency.Idempotency;
import dev.meterbill.billing.pricing.ChargeFieldChecks;
import dev.meterbill.events.TextRules;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** HTTP for credit notes: issued against an invoice, read by the invoice's organisation and the operator. */
public record CreditNoteHandler(CreditNoteService service, JsonBody jsonBody, Idempotency idempotency) {

    static final int MAX_MEMO_LENGTH = 500;
    static final int MAX_LINES = 1000;

    public void register(JavalinDefaultRoutingApi routes) {
        routes.post("/api/v1/invoices/{invoiceId}/credit-notes", idempotency.wrap(this::issue));
        routes.get("/api/v1/invoices/{invoiceId}/credit-notes", this::forInvoice);
        routes.get("/api/v1/credit-notes/{creditNoteId}", this::get);
    }

    /**
     * Body of {@code POST /invoices/{id}/credit-notes}: a reason from the fixed list, an optional memo, and
     * either {@code whole: true} or lines crediting an amount (major units) or a quantity of invoice lines.
     */
    public record CreditNoteRequest(String reason, String memo, Boolean whole, List<LineRequest> lines) {}

    /** One invoice line to credit: its 1-based number and an amount or a quantity. */
    public record LineRequest(Integer line, BigDecimal amount, BigDecimal quantity) {}

    /** The credit notes of an invoice. */
    public record CreditNoteList(UUID invoiceId, List<CreditNoteView> creditNotes) {}

    private void issue(Context ctx) {
        UUID invoiceId = PathIds.uuid(ctx, "invoiceId", "Invoice");
        Caller caller = Authenticator.caller(ctx);
        service.authorise(caller, invoiceId);
        CreditNoteRequest body = jsonBody.read(ctx, CreditNoteRequest.class);
        FieldErrors errors = new FieldErrors();
        CreditReason reason = body.reason() == null ? null : CreditReason.fromWire(body.reason());
        if (reason == null || reason == CreditReason.RERATING) { // a re-rating's credit notes are its own
            reason = null;
            errors.add("reason", "is required, one of " + Arrays.stream(CreditReason.values()).filter(r -> r != CreditReason.RERATING)
                    .map(CreditReason::wireName).collect(Collectors.joining(", ")));
        }
        String memo = body.memo() == null || body.memo().isBlank() ? null : body.memo().strip();
        if (TextRules.violation(memo, MAX_MEMO_LENGTH) != null) {
            errors.add("memo", TextRules.violation(memo, MAX_MEMO_LENGTH));
        }
        boolean whole = Boolean.TRUE.equals(body.whole());
        List<LineRequest> requested = body.lines() == null ? List.of() : body.lines();
        if (whole == !requested.isEmpty()) {
            errors.add("lines", "give either whole: true or the lines to credit, not both");
        } else if (requested.size() > MAX_LINES) {
            errors.add("lines", "must hold at most " + MAX_LINES + " lines");
        }
        List<CreditNoteService.LineCredit> lines = new ArrayList<>();
        for (int i = 0; i < requested.size() && requested.size() <= MAX_LINES; i++) {
            LineRequest line = requested.get(i);
            String path = "lines[" + i + "]";
            if (line == null || line.line() == null) {
                errors.add(path + ".line", "is required: the number of the invoice line, from 1");
                continue;
            }
            if ((line.amount() == null) == (line.quantity() == null)) {
                errors.add(path, "give either amount or quantity");
                continue;
            }
            int before = errors.size();
            BigDecimal quantity = line.quantity() == null ? null
                    : ChargeFieldChecks.quantity(errors, path + ".quantity", line.quantity());
            if (errors.size() == before) {
                lines.add(new CreditNoteService.LineCredit(line.line(), line.amount(), quantity));
            }
        }
        errors.throwIfAny();
        CreditNote note = service.issue(caller, RequestIds.of(ctx), invoiceId,
                new CreditNoteService.CreditCommand(reason, memo, whole, lines));
        ctx.status(HttpStatus.CREATED).json(CreditNoteView.of(note));
    }

    private void forInvoice(Context ctx) {
        UUID invoiceId = PathIds.uuid(ctx, "invoiceId", "Invoice");
        ctx.json(new CreditNoteList(invoiceId, service.forInvoice(Authenticator.caller(ctx), invoiceId).stream()
                .map(CreditNoteView::of).toList()));
    }

    private void get(Context ctx) {
        UUID id = PathIds.uuid(ctx, "creditNoteId", "Credit note");
        ctx.json(CreditNoteView.of(service.get(Authenticator.caller(ctx), id)));
    }
}
