package dev.meterbill.gateway.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.events.UsageEvent;
import dev.meterbill.testkit.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.WeakReference;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An answered request's events are garbage at once, not when its request timeout would have run out: at 130,000
 * events/s a timeout that kept them held a million envelopes and a G1 heap of 2.5 GB (docs/benchmarks.md).
 */
class PublisherRetentionIT {

    private static List<UsageEvent> events(int n) {
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(new UsageEvent(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "api_calls", BigDecimal.ONE,
                    "count", Instant.now(), Instant.now(), "UTC", Map.of("region", "in"), "retention-" + i));
        }
        return events;
    }

    @Test
    void theEventsOfAnAnsweredRequestAreNotHeldUntilItsTimeout() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start()) {
            kafka.createTopics(1, "retention");
            KafkaEventPublisher publisher = new KafkaEventPublisher(kafka.bootstrapServers(), "retention", "retention-it", 1,
                    Duration.ofMillis(10), Duration.ofMinutes(5), new SimpleMeterRegistry());
            try {
                List<UsageEvent> first = events(100);
                WeakReference<List<UsageEvent>> held = new WeakReference<>(first);
                publisher.publishAsync(first).get(60, TimeUnit.SECONDS);
                first = null;
                // a second request moves the worker on, so that nothing of the first is left in its frame
                publisher.publishAsync(events(1)).get(60, TimeUnit.SECONDS);

                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (held.get() != null && System.nanoTime() < deadline) {
                    System.gc();
                    Thread.sleep(100);
                }
                assertThat(held.get()).as("the first request's events, answered, with 5 minutes of timeout left").isNull();
            } finally {
                publisher.close();
            }
        }
    }
}
