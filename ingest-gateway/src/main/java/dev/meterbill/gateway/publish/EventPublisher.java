package dev.meterbill.gateway.publish;

import dev.meterbill.events.UsageEvent;
import java.util.List;

/** Makes accepted events durable; returns only once the broker acknowledged all of them. */
public interface EventPublisher extends AutoCloseable {

    /**
     * Publishes all events or none of them as the aggregation job sees it.
     *
     * @throws PublishFailedException when the broker did not acknowledge every event in time
     */
    void publish(List<UsageEvent> events);

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
