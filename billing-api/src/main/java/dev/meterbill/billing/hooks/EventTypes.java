package dev.meterbill.billing.hooks;

import java.util.List;
import java.util.Map;

/** The events an endpoint can receive, and the audit actions that cause them (in the same transaction). */
public final class EventTypes {

    public static final String PING = "ping";
    public static final String THRESHOLD_REACHED = "usage.threshold_reached";
    public static final String ENTITLEMENT_EXHAUSTED = "entitlement.exhausted";

    /** Audit action: event type. */
    static final Map<String, String> FROM_AUDIT = Map.of(
            "invoice.generated", "invoice.created",
            "invoice.issued", "invoice.issued",
            "invoice.paid", "invoice.paid",
            "invoice.voided", "invoice.voided",
            "payment.failed", "invoice.payment_failed",
            "credit_note.issued", "credit_note.issued",
            "subscription.created", "subscription.created",
            "subscription.replaced", "subscription.changed",
            "subscription.ended", "subscription.ended");

    public static final List<String> ALL = List.of("invoice.created", "invoice.issued", "invoice.paid",
            "invoice.voided", "invoice.payment_failed", "credit_note.issued", "subscription.created",
            "subscription.changed", "subscription.ended", THRESHOLD_REACHED, ENTITLEMENT_EXHAUSTED, PING);

    private EventTypes() {}
}
