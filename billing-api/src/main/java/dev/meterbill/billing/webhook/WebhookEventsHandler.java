package dev.meterbill.billing.webhook;

import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.error.ForbiddenException;
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
        int limit = DEFAULT_LIMIT;
        Long before = null;
        try {
            if (ctx.queryParam("limit") != null) {
                limit = Integer.parseInt(ctx.queryParam("limit"));
            }
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            errors.add("limit", "must be a whole number from 1 to " + MAX_LIMIT);
        }
        try {
            if (ctx.queryParam("before") != null) {
                before = Long.parseLong(ctx.queryParam("before"));
            }
        } catch (NumberFormatException e) {
            errors.add("before", "must be the nextBefore cursor of a previous page");
        }
        errors.throwIfAny();
        Boolean filter = unprocessable;
        Long cursor = before;
        int pageSize = limit;
        List<WebhookEventRepository.StoredEvent> page =
                transactions.readOnly(c -> events.list(c, filter, cursor, pageSize));
        ctx.json(new ListResponse(page, page.size() == pageSize ? page.get(page.size() - 1).id() : null));
    }
}
