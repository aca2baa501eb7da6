package dev.meterbill.billing.payment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.error.ForbiddenException;
import dev.meterbill.billing.error.ValidationException;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.billing.http.PublicRoutes;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.idempotency.Idempotency;
import dev.meterbill.billing.idempotency.IdempotentHandler;
import dev.meterbill.events.TextRules;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

/** HTTP for an invoice's payments and refunds, the operator's reconciliation and the checkout callback. */
public record PaymentHandler(PaymentQueries queries, RefundService refunds, PaymentReconciler reconciler,
                             CheckoutCallbackService checkout, JsonBody jsonBody, ObjectMapper json,
                             Idempotency idempotency) {

    public static final String CALLBACK_PATH = PublicRoutes.RAZORPAY_CALLBACK;
    static final int MAX_REASON_LENGTH = 500;
    static final int MAX_PAYMENT_ID_LENGTH = 100;

    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/api/v1/invoices/{invoiceId}/payments", this::payments);
        routes.post("/api/v1/invoices/{invoiceId}/refunds", idempotency.wrap(this::refund));
        routes.post("/api/v1/payments/reconcile", idempotency.wrap(this::reconcile));
        routes.post(CALLBACK_PATH, this::callback);
    }

    /** Body of {@code POST /invoices/{id}/refunds}: give at most one of amount (major units) and amountMinor. */
    public record RefundRequest(BigDecimal amount, Long amountMinor, String reason, String paymentId,
                                String creditNoteId) {}

    /** Body of {@code POST /payments/reconcile}, optional. */
    public record ReconcileRequest(String invoiceId, Long olderThanMinutes) {}

    /** JSON body of the checkout callback (Razorpay's field names). */
    public record CallbackRequest(String razorpay_order_id, String razorpay_payment_id, String razorpay_signature) {}

    private void payments(Context ctx) {
        ctx.json(queries.forInvoice(Authenticator.caller(ctx), invoiceId(ctx)));
    }

    private void refund(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        UUID invoiceId = invoiceId(ctx);
        refunds.authorise(caller, invoiceId);
        RefundRequest body = ctx.bodyAsBytes().length == 0 ? new RefundRequest(null, null, null, null, null)
                : jsonBody.read(ctx, RefundRequest.class);
        FieldErrors errors = new FieldErrors();
        if (body.amount() != null && body.amountMinor() != null) {
            errors.add("amount", "give amount (major units) or amountMinor, not both");
        }
        text(errors, "reason", body.reason(), MAX_REASON_LENGTH);
        text(errors, "paymentId", body.paymentId(), MAX_PAYMENT_ID_LENGTH);
        UUID creditNoteId = null;
        if (body.creditNoteId() != null) {
            try {
                creditNoteId = UUID.fromString(body.creditNoteId());
            } catch (IllegalArgumentException e) {
                errors.add("creditNoteId", "must be the id of a credit note of the invoice");
            }
        }
        errors.throwIfAny();
        RefundView refund = refunds.refund(caller, RequestIds.of(ctx), invoiceId, new RefundService.RefundCommand(
                body.amountMinor(), body.amount(), body.reason(), body.paymentId(), creditNoteId,
                requestKey(ctx, caller, invoiceId)));
        ctx.status(refund.razorpayRefundId() == null ? 202 : 201).json(refund);
    }

    private void reconcile(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        if (!caller.isOperator()) {
            throw new ForbiddenException("Only the operator can run the payment reconciliation");
        }
        reconciler.requireEnabled();
        ReconcileRequest body = ctx.bodyAsBytes().length == 0 ? new ReconcileRequest(null, null)
                : jsonBody.read(ctx, ReconcileRequest.class);
        if (body.olderThanMinutes() != null
                && (body.olderThanMinutes() < 0 || body.olderThanMinutes() > RazorpaySettings.MAX_MINUTES)) {
            throw ValidationException.ofField("olderThanMinutes", "must be from 0 to " + RazorpaySettings.MAX_MINUTES
                    + " (365 days)");
        }
        if (body.invoiceId() != null) {
            UUID id;
            try {
                id = UUID.fromString(body.invoiceId());
            } catch (IllegalArgumentException e) {
                throw ValidationException.ofField("invoiceId", "must be an invoice id");
            }
            queries.forInvoice(caller, id);
            ctx.json(reconciler.reconcileInvoice(id));
            return;
        }
        ctx.json(reconciler.run(Duration.ofMinutes(body.olderThanMinutes() == null ? 0 : body.olderThanMinutes())));
    }

    private void callback(Context ctx) {
        String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        CallbackRequest body;
        if (contentType.startsWith("application/x-www-form-urlencoded")) {
            // Razorpay's redirect (callback_url) posts these as form fields
            body = new CallbackRequest(ctx.formParam("razorpay_order_id"), ctx.formParam("razorpay_payment_id"),
                    ctx.formParam("razorpay_signature"));
        } else {
            body = jsonBody.read(ctx, CallbackRequest.class);
        }
        ctx.json(checkout.confirm(body.razorpay_order_id(), body.razorpay_payment_id(), body.razorpay_signature(),
                RequestIds.of(ctx)));
    }

    /** The refund's identity for retries: the caller, the invoice and the Idempotency-Key, hashed. */
    private static String requestKey(Context ctx, Caller caller, UUID invoiceId) {
        String key = ctx.header(IdempotentHandler.HEADER);
        if (key == null) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((caller.actor() + "\n" + invoiceId + "\n" + key)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static void text(FieldErrors errors, String field, String value, int maxLength) {
        String violation = TextRules.violation(value, maxLength);
        if (violation != null) {
            errors.add(field, violation);
        }
    }

    private static UUID invoiceId(Context ctx) {
        return PathIds.uuid(ctx, "invoiceId", "Invoice");
    }
}
