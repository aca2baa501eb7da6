package dev.meterbill.gateway.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.events.UsageEvent;
import dev.meterbill.testkit.HttpTestClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Producers hammering a gateway with single events and batches, every event carrying a unique
 * idempotency key, recording which keys were acknowledged (202) and which refused.
 */
public final class IngestLoad implements AutoCloseable {

    public final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    public final Set<String> refused = ConcurrentHashMap.newKeySet();
    public final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    public final AtomicInteger connectionErrors = new AtomicInteger();
    public final AtomicInteger missingRetryAfter = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger sequence = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();

    public IngestLoad(String gatewayUrl, String apiKey, int threadCount) {
        HttpTestClient api = new HttpTestClient(() -> gatewayUrl);
        for (int t = 0; t < threadCount; t++) {
            boolean batches = t % 2 == 1;
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    List<String> keys = new ArrayList<>();
                    List<Map<String, Object>> events = new ArrayList<>();
                    int n = batches ? 50 : 1;
                    for (int i = 0; i < n; i++) {
                        String key = "load-" + sequence.incrementAndGet();
                        keys.add(key);
                        events.add(Map.of("metricName", "api_calls", "metricValue", 1, "unit", "count",
                                "timestamp", Instant.now().toString(), "idempotencyKey", key));
                    }
                    try {
                        HttpTestClient.Response r = batches
                                ? api.postAsJson("/api/v1/ingest/batch", apiKey, Map.of("events", events))
                                : api.postAsJson("/api/v1/ingest", apiKey, events.get(0));
                        statuses.computeIfAbsent(r.status(), s -> new AtomicInteger()).incrementAndGet();
                        if (r.status() == 202) {
                            acknowledged.addAll(keys);
                        } else {
                            refused.addAll(keys);
                            if (r.status() == 503 && r.header("Retry-After") == null) {
                                missingRetryAfter.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        // no answer: the producer cannot know, exactly like a real client; not counted either way
                        connectionErrors.incrementAndGet();
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException ie) {
                            return;
                        }
                    }
                }
            }, "ingest-load-" + t);
            threads.add(thread);
            thread.start();
        }
    }

    public int count(int status) {
        AtomicInteger c = statuses.get(status);
        return c == null ? 0 : c.get();
    }

    /** Waits until at least {@code n} more keys were acknowledged, or the timeout passes. */
    public boolean awaitAcknowledged(int n, long timeoutMillis) throws InterruptedException {
        int target = acknowledged.size() + n;
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (acknowledged.size() < target && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        return acknowledged.size() >= target;
    }

    /**
     * Checks the promise of a 2xx against what a read_committed consumer sees: every acknowledged
     * key is there, no refused key is.
     */
    public void assertAcknowledgedExactly(List<UsageEvent> committed) {
        Set<String> committedKeys = committed.stream().map(UsageEvent::idempotencyKey).collect(Collectors.toSet());
        Set<String> missing = new HashSet<>(acknowledged);
        missing.removeAll(committedKeys);
        assertThat(missing).as("acknowledged but not committed").isEmpty();
        Set<String> refusedButCounted = new HashSet<>(refused);
        refusedButCounted.retainAll(committedKeys);
        assertThat(refusedButCounted).as("refused but visible to read_committed consumers").isEmpty();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(60_000);
        }
    }
}
