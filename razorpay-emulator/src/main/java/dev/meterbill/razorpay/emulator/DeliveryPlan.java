package dev.meterbill.razorpay.emulator;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * How the webhooks of one simulated checkout reach the receiver. Razorpay delivers at least once and in no
 * guaranteed order, so a receiver must cope with every one of these.
 *
 * @param mode          the shape of delivery
 * @param droppedEvents for {@link Mode#DROP}: the event types never delivered; empty means every event
 * @param delay         for {@link Mode#DELAYED}: how long before the first delivery starts
 */
public record DeliveryPlan(Mode mode, Set<String> droppedEvents, Duration delay) {

    /** The shapes of delivery the emulator can produce. */
    public enum Mode {
        /** Each event once, in the order the events happened. */
        NORMAL,
        /** Each event twice in a row, same event id and same bytes. */
        DUPLICATE,
        /** Each event twice at the same moment, on two connections. */
        DUPLICATE_CONCURRENT,
        /** Each event once, last event first. */
        REVERSED,
        /** Some (or all) events are never delivered; the state change is still visible through the REST API. */
        DROP,
        /** Each event once, in order, after a delay. */
        DELAYED;

        static Mode parse(String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    public DeliveryPlan {
        droppedEvents = Set.copyOf(droppedEvents);
        delay = delay == null ? Duration.ZERO : delay;
    }

    public static DeliveryPlan normal() {
        return new DeliveryPlan(Mode.NORMAL, Set.of(), Duration.ZERO);
    }

    public static DeliveryPlan duplicated() {
        return new DeliveryPlan(Mode.DUPLICATE, Set.of(), Duration.ZERO);
    }

    public static DeliveryPlan duplicatedConcurrently() {
        return new DeliveryPlan(Mode.DUPLICATE_CONCURRENT, Set.of(), Duration.ZERO);
    }

    public static DeliveryPlan reversed() {
        return new DeliveryPlan(Mode.REVERSED, Set.of(), Duration.ZERO);
    }

    /** Never delivers the given event types, or no event at all when none are given. */
    public static DeliveryPlan dropping(String... eventTypes) {
        return new DeliveryPlan(Mode.DROP, Set.of(eventTypes), Duration.ZERO);
    }

    public static DeliveryPlan delayed(Duration delay) {
        return new DeliveryPlan(Mode.DELAYED, Set.of(), delay);
    }

    boolean drops(String eventType) {
        return mode == Mode.DROP && (droppedEvents.isEmpty() || droppedEvents.contains(eventType));
    }
}
