package dev.meterbill.gateway.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.events.UsageEvent;
import dev.meterbill.testkit.HttpTestClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Producers hammering a gateway with single events with and without an idempotency key and with batches (keyed),
 * recording which events were acknowledged (202) and which refused. An event is known by its idempotency key, or,
 * without one, by the same text in its metadata ({@code load}).
 */
public final class IngestLoad implements AutoCloseable {

    public final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    public final Set<String> refused = ConcurrentHashMap.newKeySet();
    /** Refused single events with a key: sent without a transaction, so a refusal cannot prove them absent. */
    public final Set<String> refusedKeyedSingles = ConcurrentHashMap.newKeySet();
    public final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    public final AtomicInteger connectionErrors = new AtomicInteger();
    public final AtomicInteger missingRetryAfter = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger sequence = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();

    public IngestLoad(String gatewayUrl, String apiKey, int threadCount) {
        HttpTestClient api = new HttpTestClient(() -> gatewayUrl);
        for (int t = 0; t < threadCount; t++) {
            boolean batches = t % 3 == 1;
            boolean keyless = t % 3 == 2;
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    List<String> keys = new ArrayList<>();
                    List<Map<String, Object>> events = new ArrayList<>();
                    int n = batches ? 50 : 1;
                    for (int i = 0; i < n; i++) {
                        String key = "load-" + sequence.incrementAndGet();
                        keys.add(key);
                        events.add(keyless
                                ? Map.of("metricName", "api_calls", "metricValue", 1, "unit", "count",
                                        "timestamp", Instant.now().toString(), "metadata", Map.of("load", key))
                                : Map.of("metricName", "api_calls", "metricValue", 1, "unit", "count",
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
                            if (!batches && !keyless) {
                                refusedKeyedSingles.addAll(keys);
                            }
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
     * Checks the promise of an answer against what a read_committed consumer sees: every acknowledged event is there;
     * no refused one is, but for single events with a key, whose 503 says they may have been kept (docs/api.md), and
     * each event is there once. Returns how many refused keyed single events are there.
     */
    public long assertAcknowledgedExactly(List<UsageEvent> committed) {
        List<String> ids = committed.stream().map(IngestLoad::id).filter(Objects::nonNull).toList();
        Set<String> committedKeys = new HashSet<>(ids);
        assertThat(committedKeys).as("an event committed twice").hasSize(ids.size());
        Set<String> missing = new HashSet<>(acknowledged);
        missing.removeAll(committedKeys);
        assertThat(missing).as("acknowledged but not committed").isEmpty();
        Set<String> refusedButCounted = new HashSet<>(refused);
        refusedButCounted.removeAll(refusedKeyedSingles);
        refusedButCounted.retainAll(committedKeys);
        assertThat(refusedButCounted).as("refused in a transaction but visible to read_committed consumers").isEmpty();
        return refusedKeyedSingles.stream().filter(committedKeys::contains).count();
    }

    /** The event's key, or its {@code load} metadata; null for an event this load did not send. */
    private static String id(UsageEvent e) {
        Object load = e.metadata() == null ? null : e.metadata().get("load");
        return e.idempotencyKey() != null ? e.idempotencyKey() : load == null ? null : load.toString();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(60_000);
        }
    }
}
