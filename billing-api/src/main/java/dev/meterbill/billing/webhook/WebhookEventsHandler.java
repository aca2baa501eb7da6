package dev.meterbill.billing.webhook;

import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.error.ForbiddenException;
import dev.meterbill.billing.http.CursorPage;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.List;

/**
 * HTTP for {@code GET /api/v1/webhook-events}: the operator's view of received webhooks, newest
 * first, above all those acknowledged but unprocessable ({@code ?status=unprocessable}), with their
 * reason and the raw body Razorpay signed.
 */
public record WebhookEventsHandler(Transactions transactions, WebhookEventRepository events) {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/api/v1/webhook-events", this::list);
    }

    /** Response; {@code nextBefore} is the cursor of the next page, null on the last one. */
    public record ListResponse(List<WebhookEventRepository.StoredEvent> events, Long nextBefore) {}

    private void list(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        if (!caller.isOperator()) {
            throw new ForbiddenException("Only the operator can read received webhooks");
        }
        FieldErrors errors = new FieldErrors();
        Boolean unprocessable = null;
        String status = ctx.queryParam("status");
        if (status != null && !status.isBlank()) {
            switch (status) {
                case "unprocessable" -> unprocessable = true;
                case "processed" -> unprocessable = false;
                default -> errors.add("status", "must be processed or unprocessable");
            }
        }
        CursorPage page = CursorPage.of(ctx, DEFAULT_LIMIT, MAX_LIMIT, errors);
        errors.throwIfAny();
        Boolean filter = unprocessable;
        List<WebhookEventRepository.StoredEvent> rows =
                transactions.readOnly(c -> events.list(c, filter, page.before(), page.limit()));
        ctx.json(new ListResponse(rows, page.next(rows, WebhookEventRepository.StoredEvent::id)));
    }
}
