package dev.meterbill.billing.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.billing.RazorpaySettings;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.InvalidSignatureException;
import dev.meterbill.billing.error.PaymentsDisabledException;
import dev.meterbill.billing.error.ValidationException;
import dev.meterbill.billing.payment.PaymentLedger;
import dev.meterbill.billing.payment.ProviderPayment;
import dev.meterbill.billing.payment.ProviderRefund;
import dev.meterbill.billing.payment.RazorpaySignatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives Razorpay webhooks: verifies the signature over the raw bytes before anything is parsed or
 * stored, then records the event id and applies the event in one transaction, so each event id is
 * processed exactly once however often and however concurrently it is delivered.
 */
public final class RazorpayWebhookService {

    private static final Logger LOG = LoggerFactory.getLogger(RazorpayWebhookService.class);
    static final String PROVIDER = "razorpay";
    public static final String ACTOR = "razorpay:webhook";
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

    /** What became of a delivery: {@code processed} the first time, {@code duplicate} after. */
    public record Receipt(String eventId, String event, String status, String outcome) {}

    private final RazorpaySettings settings;
    private final Transactions transactions;
    private final WebhookEventRepository events;
    private final PaymentLedger ledger;
    private final ObjectMapper json;

    public RazorpayWebhookService(RazorpaySettings settings, Transactions transactions, WebhookEventRepository events,
                                  PaymentLedger ledger, ObjectMapper json) {
        this.settings = settings;
        this.transactions = transactions;
        this.events = events;
        this.ledger = ledger;
        this.json = json;
    }

    public Receipt receive(byte[] body, String signature, String eventId) {
        if (!settings.enabled()) {
            throw new PaymentsDisabledException();
        }
        // current and previous secret: webhooks signed before a rotation still verify during it
        if (!RazorpaySignatures.webhookVerifies(body, signature, settings.webhookSecret(),
                settings.previousWebhookSecret())) {
            throw new InvalidSignatureException("X-Razorpay-Signature does not match the body under the webhook secret");
        }
        if (eventId == null || !EVENT_ID.matcher(eventId).matches()) {
            throw ValidationException.ofField("X-Razorpay-Event-Id", "is required: 1-100 letters, digits or _.:-");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new ValidationException("The webhook body is not JSON");
        }
        if (root == null || !root.isObject() || !root.path("event").isTextual()) {
            throw new ValidationException("The webhook body has no event type");
        }
        String type = root.get("event").asText();
        String text = new String(body, StandardCharsets.UTF_8);
        return transactions.inOwnTransaction(c -> {
            if (!events.insertIfNew(c, PROVIDER, eventId, type, text)) {
                return new Receipt(eventId, type, "duplicate", null);
            }
            String outcome = apply(c, eventId, type, root.path("payload"));
            events.markProcessed(c, PROVIDER, eventId, outcome);
            return new Receipt(eventId, type, "processed", outcome);
        });
    }

    private String apply(Connection c, String eventId, String type, JsonNode payload) throws SQLException {
        try {
            PaymentLedger.Applied applied = switch (type) {
                case "payment.authorized", "payment.captured", "payment.failed", "order.paid" ->
                        ledger.applyPayment(c, ProviderPayment.fromJson(entity(payload, "payment")), ACTOR, eventId);
                case "refund.created", "refund.processed", "refund.failed" -> ledger.applyRefund(c,
                        ProviderRefund.fromJson(entity(payload, "refund")),
                        payload.has("payment") ? ProviderPayment.fromJson(entity(payload, "payment")) : null,
                        ACTOR, eventId);
                default -> new PaymentLedger.Applied(PaymentLedger.Outcome.IGNORED, false);
            };
            if (applied.outcome() == PaymentLedger.Outcome.UNKNOWN_ORDER
                    || applied.outcome() == PaymentLedger.Outcome.UNKNOWN_PAYMENT) {
                LOG.warn("Razorpay event {} ({}) names no payment of this platform: {}", eventId, type, applied.outcome());
            }
            return applied.outcome().name().toLowerCase(Locale.ROOT) + (applied.invoicePaid() ? ", invoice paid" : "");
        } catch (IllegalArgumentException e) {
            // signed by Razorpay yet unreadable: kept for inspection, not retried forever
            LOG.error("Razorpay event {} ({}) is malformed: {}", eventId, type, e.getMessage());
            return "malformed: " + e.getMessage();
        }
    }

    private static JsonNode entity(JsonNode payload, String name) {
        JsonNode entity = payload.path(name).path("entity");
        if (!entity.isObject()) {
            throw new IllegalArgumentException("payload." + name + ".entity is missing");
        }
        return entity;
    }
}
