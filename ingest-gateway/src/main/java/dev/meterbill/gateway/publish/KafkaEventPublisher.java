package dev.meterbill.gateway.publish;

import dev.meterbill.events.UsageEvent;
import dev.meterbill.events.UsageEventCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes events inside Kafka transactions with group commit.
 *
 * <p>Requests queue up; each worker owns one transactional producer, takes every request waiting
 * (up to {@link #MAX_EVENTS_PER_TRANSACTION}), sends them in one transaction and commits. A request is
 * answered only after the commit returned, so a 2xx means the broker acknowledged every event
 * (acks=all, idempotent producer). When anything fails the transaction is aborted: the aggregation
 * job reads read_committed, so an answered-with-error request never leaves part of its events
 * counted. Grouping amortises the transaction's round trips over many requests.
 */
public final class KafkaEventPublisher implements EventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventPublisher.class);

    /** A group stops taking requests at this many events; a batch of 1,000 still fits with room to spare. */
    private static final int MAX_EVENTS_PER_TRANSACTION = 5_000;

    /** {@code claimed} decides, once, whether a worker sends the request or its waiter gives up on it. */
    private record Pending(List<UsageEvent> events, CompletableFuture<Void> done, AtomicBoolean claimed) {}

    private final String topic;
    private final Map<String, Object> producerConfig;
    private final long retryBackoffMs;
    private final Duration requestTimeout;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(100_000);
    /** Gives up on a request no worker has taken within the request timeout (see publishAsync). */
    private final ScheduledThreadPoolExecutor claimTimeouts = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "kafka-publisher-claim-timeouts");
        t.setDaemon(true);
        return t;
    });
    private final List<Thread> workers = new ArrayList<>();
    private final Admin admin;
    /** Single events: one shared idempotent producer, no transaction (one record is atomic by itself). */
    private final KafkaProducer<String, byte[]> singles;
    private final Timer commitLatency;
    private final DistributionSummary groupSize;
    private volatile boolean running = true;

    public KafkaEventPublisher(String bootstrapServers, String topic, String transactionalIdPrefix,
                               int workerCount, Duration retryBackoff, Duration requestTimeout, MeterRegistry metrics) {
        this.topic = topic;
        this.retryBackoffMs = retryBackoff.toMillis();
        this.commitLatency = Timer.builder("ingest.transaction.commit")
                .description("time from beginTransaction to a returned commit, per group of requests")
                .publishPercentileHistogram()
                .register(metrics);
        this.groupSize = DistributionSummary.builder("ingest.transaction.requests")
                .description("requests committed together in one Kafka transaction")
                .register(metrics);
        this.requestTimeout = requestTimeout;
        claimTimeouts.setRemoveOnCancelPolicy(true);
        // its thread ends when no timeout is pending, so a closed publisher leaves none behind (and needs no shutdown
        // racing a request that is still being queued)
        claimTimeouts.setKeepAliveTime(1, TimeUnit.SECONDS);
        claimTimeouts.allowCoreThreadTimeOut(true);
        this.producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.BATCH_SIZE_CONFIG, 131_072,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 6_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 4_000,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        this.admin = Admin.create(adminProps);
        Properties singleProps = new Properties();
        singleProps.putAll(producerConfig);
        singleProps.remove(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        singleProps.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, retryBackoffMs);
        // 1 ms, not the batches' 2: a single event's answer waits for it (docs/benchmarks.md: 0.60x at 2 ms, 0.79x at 1, 0.70x at 0)
        singleProps.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        this.singles = new KafkaProducer<>(singleProps, new StringSerializer(), new ByteArraySerializer());
        for (int i = 0; i < workerCount; i++) {
            String transactionalId = transactionalIdPrefix + "-" + i;
            Thread t = new Thread(() -> work(transactionalId), "kafka-publisher-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    @Override
    public void publish(List<UsageEvent> events) {
        try {
            publishAsync(events).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof PublishFailedException failed ? failed
                    : new PublishFailedException("Kafka did not acknowledge the events", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while publishing", e);
        }
    }

    @Override
    public CompletableFuture<Void> publishAsync(List<UsageEvent> events) {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        Pending p = new Pending(events, new CompletableFuture<>(), new AtomicBoolean());
        if (!running) {
            answer.completeExceptionally(new PublishFailedException("the gateway is shutting down", null));
            return answer;
        }
        if (!queue.offer(p)) {
            answer.completeExceptionally(new PublishFailedException("publish queue is full", null));
            return answer;
        }
        // The timeout holds the claim and the answer, never the events, and is dropped once the request is answered:
        // a task kept for the whole timeout held every answered event with it (a million at 130,000 events/s).
        AtomicBoolean claimed = p.claimed();
        ScheduledFuture<?> timeout = claimTimeouts.schedule(() -> {
            if (claimed.compareAndSet(false, true)) {
                // no worker took it: it was never sent, so refusing it is safe
                answer.completeExceptionally(new PublishFailedException("Kafka did not take the events in time", null));
            }
            // else a worker is sending it: its outcome (bounded by the producer timeouts) is the answer, answering
            // 503 now could leave it counted after all
        }, requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        p.done().whenComplete((ok, error) -> {
            timeout.cancel(false);
            if (error == null) {
                answer.complete(null);
            } else {
                answer.completeExceptionally(new PublishFailedException("Kafka did not acknowledge the events", error));
            }
        });
        return answer;
    }

    @Override
    public CompletableFuture<Void> publishOne(UsageEvent event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new PublishFailedException("the gateway is shutting down", null));
            return done;
        }
        try {
            singles.send(new ProducerRecord<>(topic, event.projectId().toString(), UsageEventCodec.encode(event)),
                    (metadata, error) -> {
                        if (error == null) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(new PublishFailedException("Kafka did not acknowledge the event", error));
                        }
                    });
        } catch (RuntimeException e) {
            done.completeExceptionally(new PublishFailedException("Kafka did not take the event", e));
        }
        return done;
    }

    private void work(String transactionalId) {
        KafkaProducer<String, byte[]> producer = null;
        List<Pending> group = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            group.clear();
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null || !first.claimed().compareAndSet(false, true)) {
                    continue;
                }
                group.add(first);
                int events = first.events().size();
                Pending next;
                while (events < MAX_EVENTS_PER_TRANSACTION && (next = queue.poll()) != null) {
                    if (next.claimed().compareAndSet(false, true)) {
                        group.add(next);
                        events += next.events().size();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    if (producer == null) {
                        producer = newProducer(transactionalId);
                    }
                    send(producer, group);
                    break;
                } catch (RuntimeException e) {
                    LOG.warn("transaction of {} requests failed (attempt {}): {}", group.size(), attempt, e.toString());
                    // After a failure the producer's state is uncertain: replace it. A new producer with the
                    // same transactional id fences the old one and aborts its open transaction.
                    closeQuietly(producer);
                    producer = null;
                    if (attempt == 1 && abortedByTransactionState(e)) {
                        continue; // nothing of it is visible: a fresh producer can send it once more
                    }
                    group.forEach(p -> p.done().completeExceptionally(e));
                    break;
                }
            }
        }
        closeQuietly(producer);
    }

    private void send(KafkaProducer<String, byte[]> producer, List<Pending> group) {
        long started = System.nanoTime();
        producer.beginTransaction();
        for (Pending p : group) {
            for (UsageEvent e : p.events()) {
                producer.send(new ProducerRecord<>(topic, e.projectId().toString(), UsageEventCodec.encode(e)));
            }
        }
        // commitTransaction flushes and fails if any send failed, so success means acks=all for all
        commit(producer, started + COMMIT_DEADLINE_NANOS);
        commitLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        groupSize.record(group.size());
        group.forEach(p -> p.done().complete(null));
    }

    /**
     * Whether the broker refused the transaction for its state rather than for its content or for a
     * timeout: seen on a gateway's first commit right after a broker restart (ProcessClusterIT).
     * The transaction never committed, so one retry with a fresh producer is safe
     * and spares the producer a 503. Fencing by another instance is not retried: two gateways
     * sharing an instance id would fence each other forever.
     */
    static boolean abortedByTransactionState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidTxnStateException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    /** How long a worker keeps asking for a commit's outcome before it gives up on the broker. */
    private static final long COMMIT_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * Commits, retrying a timed-out commit: once the broker has the commit request the transaction
     * may already be decided, and only a completed retry tells whether it committed. Answering 503
     * on a mere timeout could refuse events that are counted after all. Any other error means the
     * transaction aborted, so its requests can safely be refused.
     */
    private static void commit(KafkaProducer<String, byte[]> producer, long deadlineNanos) {
        while (true) {
            try {
                producer.commitTransaction();
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (System.nanoTime() > deadlineNanos) {
                    throw e;
                }
            }
        }
    }

    private KafkaProducer<String, byte[]> newProducer(String transactionalId) {
        Properties props = new Properties();
        props.putAll(producerConfig);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        // a new transaction may briefly see the previous one's markers still being written;
        // retry that quickly instead of after the default 100 ms
        props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, retryBackoffMs);
        KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
            return producer;
        } catch (RuntimeException e) {
            closeQuietly(producer);
            throw e;
        }
    }

    private static void closeQuietly(KafkaProducer<?, ?> producer) {
        closeQuietly(producer, Duration.ofSeconds(1));
    }

    private static void closeQuietly(KafkaProducer<?, ?> producer, Duration timeout) {
        if (producer != null) {
            try {
                producer.close(timeout);
            } catch (RuntimeException ignored) {
                // closing a broken producer must not mask the original failure
            }
        }
    }

    @Override
    public boolean isReachable() {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).clusterId().get(3, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Stops taking requests, finishes every queued one (commit or abort), then closes the producers. */
    @Override
    public void close() {
        running = false;
        for (Thread t : workers) {
            try {
                t.join(requestTimeout.toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done().completeExceptionally(new IllegalStateException("publisher closed"));
        }
        closeQuietly(singles, requestTimeout.plusSeconds(5));
        admin.close(Duration.ofSeconds(2));
    }
}
