package dev.meterbill.razorpay.emulator;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The emulator's orders, payments, refunds and events. Every method holds the one monitor, so a state change
 * and the events it emits are one atomic step: a webhook never describes a state the REST API has not reached.
 */
final class EmulatorState {

    /** An entity snapshot returned to the caller and the events the change emitted, in order. */
    record Change(Map<String, Object> entity, List<WebhookEvent> events) {}

    /** A GET /v1/orders query; null bounds are open. */
    record OrderQuery(String receipt, Long from, Long to, int skip, int count) {}

    private final Map<String, OrderRecord> orders = new LinkedHashMap<>();
    private final Map<String, PaymentRecord> payments = new LinkedHashMap<>();
    private final Map<String, RefundRecord> refunds = new LinkedHashMap<>();
    private final Map<String, WebhookEvent> events = new LinkedHashMap<>();
    private final EventFactory factory;
    private final Clock clock;

    EmulatorState(EventFactory factory, Clock clock) {
        this.factory = factory;
        this.clock = clock;
    }

    synchronized Map<String, Object> createOrder(long amount, String currency, String receipt,
                                                 Map<String, Object> notes, Boolean partialPayment) {
        if (receipt != null && orders.values().stream().anyMatch(o -> receipt.equals(o.receipt))) {
            throw RazorpayApiException.badField("receipt", "Order receipt should be unique.");
        }
        OrderRecord order = new OrderRecord(Ids.next(Ids.ORDER), amount, currency, receipt, notes, partialPayment, now());
        orders.put(order.id, order);
        return order.toJson();
    }

    synchronized Map<String, Object> order(String id) {
        return requireOrder(id).toJson();
    }

    /** Newest first, as Razorpay lists them. */
    synchronized List<Map<String, Object>> orders(OrderQuery query) {
        List<OrderRecord> all = new ArrayList<>(orders.values());
        Collections.reverse(all);
        return all.stream()
                .filter(o -> query.receipt() == null || query.receipt().equals(o.receipt))
                .filter(o -> query.from() == null || o.createdAt >= query.from())
                .filter(o -> query.to() == null || o.createdAt <= query.to())
                .skip(query.skip()).limit(query.count())
                .map(OrderRecord::toJson).toList();
    }

    synchronized List<Map<String, Object>> paymentsOfOrder(String orderId) {
        requireOrder(orderId);
        List<PaymentRecord> list = payments.values().stream().filter(p -> p.orderId.equals(orderId))
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
        Collections.reverse(list);
        return list.stream().map(PaymentRecord::toJson).toList();
    }

    synchronized Map<String, Object> payment(String id) {
        return requirePayment(id).toJson();
    }

    synchronized Change capture(String paymentId, long amount, String currency) {
        PaymentRecord payment = requirePayment(paymentId);
        if (payment.captured) {
            throw RazorpayApiException.badRequest("This payment has already been captured");
        }
        if (!"authorized".equals(payment.status)) {
            throw RazorpayApiException.badRequest(
                    "Only payments which have been authorized and not yet captured can be captured");
        }
        if (amount != payment.amount) {
            throw RazorpayApiException.badField("amount", "Capture amount must be equal to the amount authorized");
        }
        if (!payment.currency.equals(currency)) {
            throw RazorpayApiException.badField("currency", "Currency should be same as the payment currency");
        }
        List<WebhookEvent> emitted = new ArrayList<>();
        applyCapture(payment, emitted);
        return new Change(payment.toJson(), record(emitted));
    }

    synchronized Change refund(String paymentId, Long amount, Map<String, Object> notes, String receipt, String speed) {
        PaymentRecord payment = requirePayment(paymentId);
        if (!payment.captured) {
            throw RazorpayApiException.badRequest("Refunds can be made only on captured payments");
        }
        long refundable = payment.amount - payment.amountRefunded;
        if (refundable <= 0) {
            throw RazorpayApiException.badRequest("The payment has been fully refunded already");
        }
        long refundAmount = amount == null ? refundable : amount;
        if (refundAmount < 100 && refundAmount != refundable) {
            throw RazorpayApiException.badField("amount", "The amount must be at least " + payment.currency + " 1.00");
        }
        if (refundAmount > refundable) {
            throw RazorpayApiException.badField("amount", "The refund amount provided is greater than amount captured");
        }
        RefundRecord refund = new RefundRecord(Ids.next(Ids.REFUND), payment.id, refundAmount, payment.currency,
                notes, receipt, speed, now());
        refunds.put(refund.id(), refund);
        payment.amountRefunded += refundAmount;
        if (payment.amountRefunded == payment.amount) {
            payment.status = "refunded";
        }
        return new Change(refund.toJson(), record(List.of(factory.refundProcessed(refund, payment))));
    }

    synchronized Map<String, Object> refund(String id) {
        if (!Ids.isWellFormed(Ids.REFUND, id)) {
            throw RazorpayApiException.badRequest(id + " is not a valid id");
        }
        RefundRecord refund = refunds.get(id);
        if (refund == null) {
            throw RazorpayApiException.notFound();
        }
        return refund.toJson();
    }

    synchronized List<Map<String, Object>> refundsOfPayment(String paymentId) {
        requirePayment(paymentId);
        List<RefundRecord> list = new ArrayList<>(refunds.values().stream().filter(r -> r.paymentId().equals(paymentId)).toList());
        Collections.reverse(list);
        return list.stream().map(RefundRecord::toJson).toList();
    }

    /** A customer paying at checkout; see {@link PaymentOutcome} for the events of each outcome. */
    synchronized SimulatedPayment pay(String orderId, PaymentSimulation sim) {
        OrderRecord order = requireOrder(orderId);
        if (order.isPaid()) {
            throw RazorpayApiException.badRequest("Order has already been paid; no further payments are allowed");
        }
        if (payments.values().stream().anyMatch(p -> p.orderId.equals(orderId) && "authorized".equals(p.status))) {
            throw RazorpayApiException.badRequest("Order has an authorized payment; capture it before paying again");
        }
        long amount = sim.amount() != null ? sim.amount() : Math.max(order.amount - order.amountPaid, 0);
        String currency = sim.currency() != null ? sim.currency() : order.currency;
        List<String> ids = new ArrayList<>();
        List<WebhookEvent> emitted = new ArrayList<>();
        PaymentRecord payment = attempt(order, amount, currency, sim, ids);
        switch (sim.outcome()) {
            case CAPTURED -> {
                authorize(payment, emitted);
                applyCapture(payment, emitted);
            }
            case AUTHORIZED -> authorize(payment, emitted);
            case FAILED -> fail(payment, emitted);
            case FAILED_THEN_CAPTURED -> {
                fail(payment, emitted);
                PaymentRecord retry = attempt(order, amount, currency, sim, ids);
                authorize(retry, emitted);
                applyCapture(retry, emitted);
            }
            case LATE_AUTHORIZATION -> {
                fail(payment, emitted);
                authorize(payment, emitted);
                applyCapture(payment, emitted);
            }
        }
        return new SimulatedPayment(orderId, ids, record(emitted), null);
    }

    synchronized List<WebhookEvent> events() {
        return List.copyOf(events.values());
    }

    synchronized WebhookEvent event(String id) {
        WebhookEvent event = events.get(id);
        if (event == null) {
            throw RazorpayApiException.notFound();
        }
        return event;
    }

    synchronized void reset() {
        orders.clear();
        payments.clear();
        refunds.clear();
        events.clear();
    }

    private PaymentRecord attempt(OrderRecord order, long amount, String currency, PaymentSimulation sim, List<String> ids) {
        PaymentRecord payment = new PaymentRecord(Ids.next(Ids.PAYMENT), order.id, amount, currency, sim.method(),
                sim.notes(), now());
        payments.put(payment.id, payment);
        ids.add(payment.id);
        order.attempts++;
        order.status = "attempted";
        return payment;
    }

    private void authorize(PaymentRecord payment, List<WebhookEvent> emitted) {
        payment.authorize();
        emitted.add(factory.paymentAuthorized(payment));
    }

    private void fail(PaymentRecord payment, List<WebhookEvent> emitted) {
        payment.fail();
        emitted.add(factory.paymentFailed(payment));
    }

    /**
     * Captures and credits the order. Only money in the order's currency counts towards amount_paid, and the
     * order is paid (order.paid) only once amount_paid reaches its amount: a short or foreign-currency payment
     * is captured but leaves the order attempted.
     */
    private void applyCapture(PaymentRecord payment, List<WebhookEvent> emitted) {
        payment.capture();
        emitted.add(factory.paymentCaptured(payment));
        OrderRecord order = orders.get(payment.orderId);
        if (order == null || !Objects.equals(order.currency, payment.currency)) {
            return;
        }
        order.amountPaid += payment.amount;
        if (!order.isPaid() && order.amountPaid >= order.amount) {
            order.status = "paid";
            emitted.add(factory.orderPaid(payment, order));
        }
    }

    private List<WebhookEvent> record(List<WebhookEvent> emitted) {
        emitted.forEach(e -> events.put(e.id(), e));
        return List.copyOf(emitted);
    }

    private OrderRecord requireOrder(String id) {
        if (!Ids.isWellFormed(Ids.ORDER, id)) {
            throw RazorpayApiException.badRequest(id + " is not a valid id");
        }
        OrderRecord order = orders.get(id);
        if (order == null) {
            throw RazorpayApiException.notFound();
        }
        return order;
    }

    private PaymentRecord requirePayment(String id) {
        if (!Ids.isWellFormed(Ids.PAYMENT, id)) {
            throw RazorpayApiException.badRequest(id + " is not a valid id");
        }
        PaymentRecord payment = payments.get(id);
        if (payment == null) {
            throw RazorpayApiException.notFound();
        }
        return payment;
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
