package dev.meterbill.razorpay.emulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A simulated checkout: the outcome, what the customer paid (by default exactly the amount due, in the
 * order's currency; set either to test a mismatch), the payment method, notes, and how the resulting
 * webhooks are delivered.
 */
public record PaymentSimulation(PaymentOutcome outcome, Long amount, String currency, String method,
                                Map<String, Object> notes, DeliveryPlan delivery) {

    public PaymentSimulation {
        notes = notes == null ? Map.of() : new LinkedHashMap<>(notes);
        method = method == null ? "upi" : method;
        delivery = delivery == null ? DeliveryPlan.normal() : delivery;
    }

    public static PaymentSimulation of(PaymentOutcome outcome) {
        return new PaymentSimulation(outcome, null, null, null, null, null);
    }

    public static PaymentSimulation captured() {
        return of(PaymentOutcome.CAPTURED);
    }

    public static PaymentSimulation failed() {
        return of(PaymentOutcome.FAILED);
    }

    public static PaymentSimulation authorizedOnly() {
        return of(PaymentOutcome.AUTHORIZED);
    }

    public static PaymentSimulation failedThenCaptured() {
        return of(PaymentOutcome.FAILED_THEN_CAPTURED);
    }

    public static PaymentSimulation lateAuthorization() {
        return of(PaymentOutcome.LATE_AUTHORIZATION);
    }

    public PaymentSimulation amount(long paidMinorUnits) {
        return new PaymentSimulation(outcome, paidMinorUnits, currency, method, notes, delivery);
    }

    public PaymentSimulation currency(String paidCurrency) {
        return new PaymentSimulation(outcome, amount, paidCurrency, method, notes, delivery);
    }

    public PaymentSimulation method(String paymentMethod) {
        return new PaymentSimulation(outcome, amount, currency, paymentMethod, notes, delivery);
    }

    public PaymentSimulation notes(Map<String, Object> paymentNotes) {
        return new PaymentSimulation(outcome, amount, currency, method, paymentNotes, delivery);
    }

    public PaymentSimulation delivery(DeliveryPlan plan) {
        return new PaymentSimulation(outcome, amount, currency, method, notes, plan);
    }
}
