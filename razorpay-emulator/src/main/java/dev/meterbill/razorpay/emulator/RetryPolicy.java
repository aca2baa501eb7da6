package dev.meterbill.razorpay.emulator;

import java.time.Duration;

/**
 * Webhook retries. Razorpay retries a delivery that got a non-2xx answer or timed out, with exponential
 * backoff, for 24 hours; the emulator keeps the rule but compresses the schedule.
 *
 * @param retries      further attempts after the first one fails
 * @param firstBackoff wait before the first retry; each later retry waits twice as long as the one before
 * @param timeout      how long one attempt may take (Razorpay allows 5 seconds)
 */
public record RetryPolicy(int retries, Duration firstBackoff, Duration timeout) {

    public RetryPolicy {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0");
        }
    }

    /** Three retries 200 ms, 400 ms and 800 ms apart, 5 seconds per attempt. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    Duration backoffBefore(int attempt) {
        return firstBackoff.multipliedBy(1L << Math.min(attempt - 2, 20));
    }
}
