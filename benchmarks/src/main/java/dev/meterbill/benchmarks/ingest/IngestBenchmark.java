package dev.meterbill.benchmarks.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.BillingApi;
import dev.meterbill.billing.BillingApiConfig;
import dev.meterbill.client.MeterbillClient;
import dev.meterbill.events.UsageEvent;
import dev.meterbill.events.UsageEventCodec;
import dev.meterbill.events.UsageTopics;
import dev.meterbill.gateway.GatewayApp;
import dev.meterbill.gateway.GatewayConfig;
import dev.meterbill.service.Env;
import dev.meterbill.gateway.http.Problems;
import dev.meterbill.gateway.ingest.IngestHandler;
import dev.meterbill.localstack.ApiClient;
import dev.meterbill.localstack.LocalDatabase;
import dev.meterbill.testkit.KafkaBroker;
import io.javalin.Javalin;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./billing bench ingest}: gateway throughput and latency against its two ceilings, measured
 * in one run on this machine: the same load generator (wrk) against a no-op Javalin endpoint in
 * the same server setup, and Kafka's own ProducerPerformance on the same broker with the same
 * record size.
 */
public final class IngestBenchmark {

    private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    /**
     * Seconds of load on each path before anything is measured, for the JIT (-Dbench.warmup.seconds). This JVM holds the
     * broker, the billing API and two HTTP servers: after 5 s its compilers still took a third of a core and the no-op
     * endpoint ran at a third of its later rate (docs/benchmarks.md).
     */
    private static final int WARM_UP = Integer.getInteger("bench.warmup.seconds", 30);

    /**
     * Events per second through one {@link MeterbillClient} with its defaults (senders: -Dbench.client.senders, batches of 1,000, a
     * 100,000-event buffer that blocks when full), recording as fast as one thread can for the run's seconds; the
     * clock stops when {@code close()} has delivered everything. Each event gets its own idempotency key.
     */
    static double client(String gateway, String apiKey, int seconds) {
        MeterbillClient.Builder builder = MeterbillClient.builder(gateway, apiKey);
        if (Integer.getInteger("bench.client.senders") != null) {
            builder.senders(Integer.getInteger("bench.client.senders"));
        }
        MeterbillClient client = builder.build();
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(seconds);
        Instant at = Instant.now().minusSeconds(60);
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 1_000; i++) {
                client.record(dev.meterbill.client.UsageEvent.of("api_calls", 1, "count").at(at).with("region", "in"));
            }
        }
        MeterbillClient.CloseResult result = client.close(Duration.ofSeconds(60));
        double took = (System.nanoTime() - started) / 1e9;
        if (!result.complete()) {
            throw new IllegalStateException("the client could not deliver " + result.undelivered().size() + " events");
        }
        return client.metrics().sent / took;
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("bench-ingest");
        String server = System.getenv().getOrDefault("BILLING_DB_URL", "jdbc:postgresql://localhost:5432/billing");
        String db = "billing_bench";
        LocalDatabase.recreate(server, "postgres", "", db);
        String dbUrl = LocalDatabase.urlOf(server, db);
        try (KafkaBroker kafka = KafkaBroker.start(work.resolve("kafka"), 0);
             BillingApi api = BillingApi.create(new BillingApiConfig(dbUrl, "postgres", "", 0, "bench")).start(0)) {
            kafka.createTopics(4, UsageTopics.USAGE, "producer-perf");
            // GATEWAY_PUBLISH_WORKERS (default 2) as the gateway reads it, for the worker sweep of docs/benchmarks.md
            GatewayConfig config = GatewayConfig.local(kafka.bootstrapServers(), dbUrl, 0).withRateLimit(100_000_000)
                    .withPublishWorkers(new Env(System.getenv()).integer("GATEWAY_PUBLISH_WORKERS",
                            GatewayConfig.DEFAULT_PUBLISH_WORKERS, 1, 64));
            GatewayApp gateway = GatewayApp.create(config).start(0);
            Javalin noOp = noOpServer().start(0);
            String apiKey = newProjectKey("http://localhost:" + api.port());
            // single events carry an idempotency key, as docs/api.md asks of producers (and meterbill-client sends):
            // they take the fast path without a transaction. The gateway does not read the key's value, so one key
            // for every request costs what unique ones would. Without a key they go in transactions (measured apart).
            String single = eventJson(0).replace("}}", "},\"idempotencyKey\":\"bench-single\"}");
            String keyless = eventJson(0);
            // batch events carry keys as meterbill-client writes them (its process's UUID and a counter), so that the
            // batch endpoint's rate is the ceiling for the client's own requests
            String keyPrefix = UUID.randomUUID() + "-";
            StringBuilder batch = new StringBuilder("{\"events\":[");
            for (int i = 0; i < IngestHandler.MAX_BATCH_EVENTS; i++) {
                batch.append(i == 0 ? "" : ",").append(eventJson(i).replace("}}", "},\"idempotencyKey\":\"" + keyPrefix + i + "\"}"));
            }
            String batchBody = batch.append("]}").toString();
            int recordSize = UsageEventCodec.encode(sampleEnvelope()).length;

            String gw = "http://localhost:" + gateway.port();
            String noop = "http://localhost:" + noOp.port() + "/noop";
            System.out.printf("ingest benchmark: %d s per run, %d cores, wrk -t2; envelope %d bytes%n",
                    SECONDS, Runtime.getRuntime().availableProcessors(), recordSize);
            if ("client".equals(System.getProperty("bench.only"))) {
                Wrk.post(gw + "/api/v1/ingest/batch", apiKey, batchBody, 4, WARM_UP, work);
                client(gw, apiKey, WARM_UP);
                double batchEvents = Wrk.post(gw + "/api/v1/ingest/batch", apiKey, batchBody, 4, SECONDS, work).requestsPerSecond()
                        * IngestHandler.MAX_BATCH_EVENTS;
                double client = client(gw, apiKey, SECONDS);
                System.out.printf("batch endpoint %.0f events/s, client %.0f events/s, client / batch = %.2f%n", batchEvents,
                        client, client / batchEvents);
                gateway.close();
                noOp.stop();
                return;
            }
            // warm both JVM paths first: the first seconds of a fresh JIT say nothing
            Wrk.post(noop, apiKey, single, 64, WARM_UP, work);
            Wrk.post(gw + "/api/v1/ingest", apiKey, single, 64, WARM_UP, work);
            Wrk.post(gw + "/api/v1/ingest/batch", apiKey, batchBody, 4, WARM_UP, work);
            // the client's own code (encoding, buffer, HttpClient) warms like the endpoints' before it is measured
            client(gw, apiKey, WARM_UP);

            Wrk.Result[] singles = Wrk.alternate(noop, gw + "/api/v1/ingest", apiKey, single, 64, SECONDS, work);
            Wrk.Result noOpSingle = singles[0];
            Wrk.Result gwSingle = singles[1];
            String transactions = transactionStats(gw);
            if ("single".equals(System.getProperty("bench.only"))) {
                System.out.printf("no-op %.0f/s p50 %.2f p99 %.2f, gateway single %.0f/s p50 %.2f p99 %.2f, ratio %.2f,"
                        + " p99 ratio %.2f; %s%n", noOpSingle.requestsPerSecond(), noOpSingle.p50Millis(), noOpSingle.p99Millis(),
                        gwSingle.requestsPerSecond(), gwSingle.p50Millis(), gwSingle.p99Millis(),
                        gwSingle.requestsPerSecond() / noOpSingle.requestsPerSecond(), gwSingle.p99Millis() / noOpSingle.p99Millis(),
                        transactions);
                gateway.close();
                noOp.stop();
                return;
            }
            Wrk.Result gwKeyless = Wrk.post(gw + "/api/v1/ingest", apiKey, keyless, 64, SECONDS, work);
            Wrk.Result gwBatch = Wrk.post(gw + "/api/v1/ingest/batch", apiKey, batchBody, 4, SECONDS, work);
            double client = client(gw, apiKey, SECONDS);
            double raw = producerPerformance(kafka.bootstrapServers(), recordSize);

            double batchEvents = gwBatch.requestsPerSecond() * IngestHandler.MAX_BATCH_EVENTS;
            System.out.printf("%n%-44s %14s %10s %10s%n", "run", "events/s", "p50 ms", "p99 ms");
            row("no-op Javalin endpoint, single event body", noOpSingle.requestsPerSecond(), noOpSingle);
            row("gateway POST /api/v1/ingest (1 event)", gwSingle.requestsPerSecond(), gwSingle);
            row("  the same without an idempotencyKey", gwKeyless.requestsPerSecond(), gwKeyless);
            row("gateway POST /api/v1/ingest/batch (1,000)", batchEvents, gwBatch);
            System.out.printf("%-44s %14.0f%n", "meterbill-client, one instance (defaults)", client);
            System.out.printf("%-44s %14.0f%n", "Kafka ProducerPerformance (" + recordSize + " B, acks=all)", raw);
            double singleRatio = gwSingle.requestsPerSecond() / noOpSingle.requestsPerSecond();
            double batchRatio = batchEvents / raw;
            System.out.printf("%nsingle-event / no-op endpoint = %.2f (target >= 0.70) %s%n", singleRatio,
                    singleRatio >= 0.7 ? "MET" : "MISSED");
            double p99Ratio = gwSingle.p99Millis() / noOpSingle.p99Millis();
            System.out.printf("single p99 / no-op p99        = %.2f (target <= 3.00) %s%n", p99Ratio, p99Ratio <= 3 ? "MET" : "MISSED");
            System.out.printf("batch / raw producer           = %.2f (target >= 0.75) %s%n", batchRatio,
                    batchRatio >= 0.75 ? "MET" : "MISSED");
            double clientRatio = client / batchEvents;
            System.out.printf("client / batch endpoint        = %.2f (target >= 0.80) %s%n", clientRatio,
                    clientRatio >= 0.8 ? "MET" : "MISSED");
            System.out.println("gateway Kafka transactions so far: " + transactionStats(gw));
            if (gwSingle.non2xx() + gwBatch.non2xx() > 0) {
                System.out.printf("WARNING: %d non-2xx answers during the gateway runs%n", gwSingle.non2xx() + gwBatch.non2xx());
            }
            gateway.close();
            noOp.stop();
        } finally {
            LocalDatabase.drop(server, "postgres", "", db);
        }
        System.exit(0); // Kafka client and Jetty threads must not keep a finished benchmark alive
    }

    /** Mean commit time and requests per transaction, from the gateway's own /metrics. */
    private static String transactionStats(String gatewayUrl) throws Exception {
        String metrics = new ApiClient().get(gatewayUrl + "/metrics", null).raw();
        double commitSum = metric(metrics, "ingest_transaction_commit_seconds_sum");
        double commits = metric(metrics, "ingest_transaction_commit_seconds_count");
        double requests = metric(metrics, "ingest_transaction_requests_sum");
        return String.format("%.0f transactions, mean commit %.2f ms, %.1f requests per transaction",
                commits, commits == 0 ? 0 : commitSum * 1000 / commits, commits == 0 ? 0 : requests / commits);
    }

    private static double metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.E+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(2)) : 0;
    }

    private static void row(String name, double eventsPerSecond, Wrk.Result r) {
        System.out.printf("%-44s %14.0f %10.2f %10.2f%n", name, eventsPerSecond, r.p50Millis(), r.p99Millis());
    }

    /** The same Javalin setup as the gateway (problem mapping, request size) with a handler that does nothing. */
    private static Javalin noOpServer() {
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = IngestHandler.MAX_BATCH_BYTES + 64 * 1024;
            Problems.install(cfg);
            cfg.routes.post("/noop", ctx -> {
                ctx.bodyAsBytes();
                ctx.status(202).json(Map.of("eventId", UUID.randomUUID().toString()));
            });
        });
    }

    private static String newProjectKey(String apiUrl) throws Exception {
        ApiClient client = new ApiClient();
        JsonNode org = client.post(apiUrl + "/api/v1/organisations", "bench",
                Map.of("name", "bench", "billingEmail", "bench@example.com")).expect(201).body();
        return client.post(apiUrl + "/api/v1/organisations/" + org.get("id").asText() + "/projects", "bench",
                Map.of("name", "bench")).expect(201).body().get("apiKey").asText();
    }

    private static String eventJson(int i) {
        return "{\"metricName\":\"api_calls\",\"metricValue\":\"" + (1 + i % 7) + ".25\",\"unit\":\"count\","
                + "\"timestamp\":\"" + Instant.now().minusSeconds(60) + "\",\"metadata\":{\"region\":\"ap-south-1\"}}";
    }

    private static UsageEvent sampleEnvelope() {
        return new UsageEvent(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "api_calls", new BigDecimal("1.25"),
                "count", Instant.now(), Instant.now(), "UTC", Map.of("region", "ap-south-1"), null);
    }

    /** Kafka's own ProducerPerformance in a separate JVM: records/s for 1,000,000 records of the envelope's size. */
    private static double producerPerformance(String bootstrap, int recordSize) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.ProducerPerformance",
                "--topic", "producer-perf", "--num-records", "1000000", "--record-size", String.valueOf(recordSize),
                "--throughput", "-1", "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all",
                "enable.idempotence=true"));
        double best = 0;
        for (int run = 0; run < 2; run++) { // the first run warms the broker; keep the better one
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(300, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("1000000 records sent, ([0-9.]+) records/sec").matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("cannot read ProducerPerformance output:\n" + out);
            }
            best = Math.max(best, Double.parseDouble(m.group(1)));
        }
        return best;
    }
}
