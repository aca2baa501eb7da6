package dev.meterbill.gateway.publish;

import dev.meterbill.events.UsageEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Makes accepted events durable; returns only once the broker acknowledged all of them. */
public interface EventPublisher extends AutoCloseable {

    /**
     * Publishes all events or none of them as the aggregation job sees it.
     *
     * @throws PublishFailedException when the broker did not acknowledge every event in time
     */
    void publish(List<UsageEvent> events);

    /**
     * {@link #publish} without a waiting thread: the future completes once the events are committed and fails with
     * {@link PublishFailedException} when they were not (then none of them is visible to the job).
     */
    CompletableFuture<Void> publishAsync(List<UsageEvent> events);

    /**
     * Publishes one event, which is one Kafka record and so all or nothing by itself, without a transaction: the
     * future completes once the broker acknowledged it (acks=all) and fails with {@link PublishFailedException} when
     * it did not. A failure does not prove the record absent: a broker that took it and died before answering keeps
     * it. Use it only for events whose idempotency key makes sending them again harmless.
     */
    CompletableFuture<Void> publishOne(UsageEvent event);

    /** True when the broker answers metadata requests. */
    boolean isReachable();

    @Override
    void close();

    /** The events were not acknowledged; the caller must not report them as accepted. */
    final class PublishFailedException extends RuntimeException {
        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
