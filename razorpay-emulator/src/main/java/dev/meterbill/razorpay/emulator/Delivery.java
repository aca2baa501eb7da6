package dev.meterbill.razorpay.emulator;

import java.time.Instant;

/**
 * One webhook delivery attempt, as the emulator logged it.
 *
 * @param httpStatus the receiver's status code, or 0 when there was no answer (timeout, refused, dropped)
 */
public record Delivery(String eventId, String eventType, int attempt, int httpStatus, Outcome outcome,
                       long durationMillis, Instant at, String signature) {

    /** What became of the attempt. */
    public enum Outcome {
        /** The receiver answered 2xx. */
        DELIVERED,
        /** The receiver answered something else; the attempt is retried while retries remain. */
        REJECTED,
        /** No answer within the timeout; retried like a rejection. */
        TIMED_OUT,
        /** The connection failed; retried like a rejection. */
        FAILED,
        /** The delivery plan dropped this delivery: it never left the emulator. */
        DROPPED,
        /** No webhook URL was configured when the event happened. */
        NO_WEBHOOK
    }

    public boolean delivered() {
        return outcome == Outcome.DELIVERED;
    }
}
