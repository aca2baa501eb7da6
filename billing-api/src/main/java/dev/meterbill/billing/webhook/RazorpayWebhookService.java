package dev.meterbill.billing.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.db.DataAccessException;
import dev.meterbill.billing.db.StorableText;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.InvalidSignatureException;
import dev.meterbill.billing.error.PaymentsDisabledException;
import dev.meterbill.billing.error.ValidationException;
import dev.meterbill.billing.metrics.BillingMetrics;
import dev.meterbill.billing.payment.PaymentLedger;
import dev.meterbill.billing.payment.RazorpaySettings;
import dev.meterbill.billing.payment.UnapplicableFactException;
import dev.meterbill.billing.payment.razorpay.RazorpayJson;
import dev.meterbill.billing.payment.razorpay.RazorpaySignatures;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives Razorpay webhooks: verifies the signature over the raw bytes before anything is parsed or
 * stored, then records the event id (with those bytes) and applies the event in one transaction, so
 * each event id is processed exactly once however often and however concurrently it is delivered.
 *
 * <p>A correctly signed event whose content cannot be applied (not JSON, text or numbers PostgreSQL
 * cannot store, an entity no payment or refund record can hold, a refund beyond the capture) is
 * acknowledged and recorded as unprocessable with its reason (webhook_events, the audit log): Razorpay
 * stops retrying, the operator sees it, and nothing of it is applied. Only a failure that may pass
 * (the database unreachable) answers 5xx so that Razorpay delivers it again.
 */
public record RazorpayWebhookService(RazorpaySettings settings, Transactions transactions,
                                     WebhookEventRepository events, PaymentLedger ledger, AuditLog auditLog,
                                     ObjectMapper json, BillingMetrics metrics) {

    private static final Logger LOG = LoggerFactory.getLogger(RazorpayWebhookService.class);
    static final String PROVIDER = "razorpay";
    public static final String ACTOR = "razorpay:webhook";
    static final String ENTITY_TYPE = "webhook_event";
    static final int MAX_REASON_LENGTH = 2000;
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

    /** What became of a delivery: {@code processed} the first time (or {@code unprocessable}), {@code duplicate} after. */
    public record Receipt(String eventId, String event, String status, String outcome) {}

    public Receipt receive(byte[] body, String signature, String eventId) {
        if (!settings.enabled()) {
            throw new PaymentsDisabledException();
        }
        // current and previous secret: webhooks signed before a rotation still verify during it
        if (!RazorpaySignatures.webhookVerifies(body, signature, settings.webhookSecret(),
                settings.previousWebhookSecret())) {
            metrics.webhook(PROVIDER, "invalid_signature");
            throw new InvalidSignatureException("X-Razorpay-Signature does not match the body under the webhook secret");
        }
        if (eventId == null || !EVENT_ID.matcher(eventId).matches()) {
            metrics.webhook(PROVIDER, "invalid_event_id");
            throw ValidationException.ofField("X-Razorpay-Event-Id", "is required: 1-100 letters, digits or _.:-");
        }
        WebhookContent content = WebhookContent.read(json, body);
        Receipt receipt = transactions.inOwnTransaction(c -> record(c, eventId, content, body));
        metrics.webhook(PROVIDER, receipt.status());
        return receipt;
    }

    private Receipt record(Connection c, String eventId, WebhookContent content, byte[] body) throws SQLException {
        String problem = content.problem();
        boolean inserted;
        Savepoint beforeInsert = c.setSavepoint();
        try {
            inserted = events.insertIfNew(c, PROVIDER, eventId, content.type(),
                    content.storable() ? new String(body, StandardCharsets.UTF_8) : null, body);
            c.releaseSavepoint(beforeInsert);
        } catch (SQLException e) {
            if (!content.storable() || !DataAccessException.refusedContent(e)) {
                throw e;
            }
            // what the content check did not foresee: the raw bytes are kept, the JSONB is not
            c.rollback(beforeInsert);
            inserted = events.insertIfNew(c, PROVIDER, eventId, content.type(), null, body);
            problem = "PostgreSQL cannot store the body as JSON: " + e.getMessage();
        }
        if (!inserted) {
            return new Receipt(eventId, content.type(), "duplicate", null);
        }
        if (problem == null) {
            Savepoint beforeApply = c.setSavepoint();
            try {
                String outcome = apply(c, eventId, content.type(), content.root().path("payload"));
                c.releaseSavepoint(beforeApply);
                events.markProcessed(c, PROVIDER, eventId, outcome);
                return new Receipt(eventId, content.type(), "processed", outcome);
            } catch (SQLException e) {
                if (!DataAccessException.refusedContent(e)) {
                    throw e;
                }
                c.rollback(beforeApply);
                problem = "the database refused it: " + e.getMessage();
            } catch (RuntimeException e) {
                c.rollback(beforeApply);
                boolean expected = e instanceof IllegalArgumentException || e instanceof UnapplicableFactException;
                problem = expected ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
                if (!expected) {
                    LOG.error("Razorpay event {} ({}) could not be applied", eventId, content.type(), e);
                }
            }
        }
        String reason = StorableText.of(problem, MAX_REASON_LENGTH);
        LOG.warn("Razorpay event {} ({}) is acknowledged but unprocessable: {}", eventId, content.type(), reason);
        events.markUnprocessable(c, PROVIDER, eventId, reason);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("provider", PROVIDER);
        state.put("eventId", eventId);
        state.put("event", content.type());
        state.put("reason", reason);
        auditLog.record(c, new AuditEntry(ACTOR, null, ENTITY_TYPE + ".unprocessable", ENTITY_TYPE, eventId, null,
                state, eventId));
        return new Receipt(eventId, content.type(), "unprocessable", reason);
    }

    private String apply(Connection c, String eventId, String type, JsonNode payload) throws SQLException {
        PaymentLedger.Applied applied = switch (type) {
            case "payment.authorized", "payment.captured", "payment.failed", "order.paid" ->
                    ledger.applyPayment(c, RazorpayJson.payment(entity(payload, "payment")), ACTOR, eventId);
            case "refund.created", "refund.processed", "refund.failed" -> ledger.applyRefund(c,
                    RazorpayJson.refund(entity(payload, "refund")),
                    payload.has("payment") ? RazorpayJson.payment(entity(payload, "payment")) : null,
                    ACTOR, eventId);
            default -> new PaymentLedger.Applied(PaymentLedger.Outcome.IGNORED, false);
        };
        if (applied.outcome() == PaymentLedger.Outcome.UNKNOWN_ORDER
                || applied.outcome() == PaymentLedger.Outcome.UNKNOWN_PAYMENT) {
            LOG.warn("Razorpay event {} ({}) names no payment of this platform: {}", eventId, type, applied.outcome());
        }
        return applied.outcome().name().toLowerCase(Locale.ROOT) + (applied.invoicePaid() ? ", invoice paid" : "");
    }

    private static JsonNode entity(JsonNode payload, String name) {
        JsonNode entity = payload.path(name).path("entity");
        if (!entity.isObject()) {
            throw new IllegalArgumentException("payload." + name + ".entity is missing");
        }
        return entity;
    }
}
