package dev.meterbill.benchmarks.aggregate;

import dev.meterbill.events.UsageEvent;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Freshness of the usage API's source of truth: events produced at a steady rate while the job
 * runs; every {@code probeEvery}-th event goes to one probe (project, metric), and a poller reads
 * that row's event_count. The k-th probe is visible when the count reaches k; its latency runs
 * from the producer's acknowledgement (acks=all) to that moment.
 */
final class Freshness {

    record Result(int probes, int seen, double p50Ms, double p99Ms, double maxMs, double producedPerSecond) {}

    private Freshness() {}

    static Result measure(String bootstrap, String topic, String jdbcUrl, String user, String password,
            BenchEvents events, long firstIndex, int rate, int seconds, int probeEvery) throws Exception {
        UUID probeProject = events.uuid();
        UUID probeOrganisation = events.uuid();
        int total = rate * seconds;
        int probes = (total + probeEvery - 1) / probeEvery;
        long[] ackedAt = new long[probes + 1];
        long[] visibleAt = new long[probes + 1];
        AtomicBoolean stop = new AtomicBoolean();
        Thread poller = new Thread(() -> poll(jdbcUrl, user, password, probeProject, visibleAt, stop), "freshness-poller");
        poller.start();

        long start;
        long sent;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.LINGER_MS_CONFIG, "5"), new ByteArraySerializer(), new ByteArraySerializer())) {
            long interval = 1_000_000_000L / rate;
            start = System.nanoTime();
            int k = 0;
            for (int i = 0; i < total; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                long index = firstIndex + i;
                if (i % probeEvery == 0) {
                    int probe = ++k;
                    UsageEvent event = receivedNow(events.event(probeProject, probeOrganisation, "probe", "UTC", index));
                    producer.send(BenchEvents.record(topic, event),
                            (metadata, error) -> ackedAt[probe] = error == null ? System.nanoTime() : -1);
                } else {
                    producer.send(BenchEvents.record(topic, receivedNow(events.event(index))));
                }
            }
            producer.flush();
            sent = System.nanoTime() - start;
        }
        poller.join(30_000);
        stop.set(true);
        poller.join();

        double[] latencies = new double[probes];
        int seen = 0;
        for (int k = 1; k <= probes; k++) {
            if (visibleAt[k] > 0 && ackedAt[k] > 0) {
                latencies[seen++] = Math.max(0, visibleAt[k] - ackedAt[k]) / 1e6;
            }
        }
        double[] sorted = Arrays.copyOf(latencies, seen);
        Arrays.sort(sorted);
        return new Result(probes, seen, percentile(sorted, 0.50), percentile(sorted, 0.99),
                seen == 0 ? Double.NaN : sorted[seen - 1], total / (sent / 1e9));
    }

    /**
     * The event as the gateway would send it now: live traffic, stamped with the moment of its receipt (the pre-filled
     * backlog's events were received before the job started; the job combines those for longer, see PeriodUsageCombiner).
     */
    private static UsageEvent receivedNow(UsageEvent e) {
        return new UsageEvent(e.eventId(), e.projectId(), e.organisationId(), e.metricName(), e.metricValue(), e.unit(),
                e.timestamp(), Instant.now(), e.billingTimezone(), e.metadata(), e.idempotencyKey());
    }

    private static void poll(String jdbcUrl, String user, String password, UUID probeProject, long[] visibleAt,
            AtomicBoolean stop) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                PreparedStatement ps = c.prepareStatement(
                        "SELECT event_count FROM usage_aggregates WHERE project_id = ? AND metric_name = 'probe'")) {
            ps.setObject(1, probeProject);
            int seen = 0;
            while (!stop.get() && seen < visibleAt.length - 1) {
                long count = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        count = rs.getLong(1);
                    }
                }
                long now = System.nanoTime();
                while (seen < Math.min(count, visibleAt.length - 1)) {
                    visibleAt[++seen] = now;
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException("freshness poller failed", e);
        }
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
