package dev.meterbill.gateway;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.meterbill.events.EventValidator;
import dev.meterbill.gateway.apikey.ApiKeyStore;
import dev.meterbill.gateway.apikey.PostgresApiKeyStore;
import dev.meterbill.gateway.http.Problems;
import dev.meterbill.gateway.ingest.GroupingKeys;
import dev.meterbill.gateway.ingest.IngestHandler;
import dev.meterbill.gateway.ingest.IngestService;
import dev.meterbill.gateway.ingest.SingleEventRoute;
import dev.meterbill.gateway.publish.EventPublisher;
import dev.meterbill.gateway.publish.KafkaEventPublisher;
import dev.meterbill.gateway.ratelimit.ProjectRateLimiter;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ingest gateway: receives producers' events over HTTP and makes them durable in Kafka. */
public final class GatewayApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayApp.class);

    private final HikariDataSource dataSource;
    private final EventPublisher publisher;
    private final PrometheusMeterRegistry registry;
    private final Javalin app;

    private GatewayApp(HikariDataSource dataSource, ApiKeyStore keys, EventPublisher publisher,
                       PrometheusMeterRegistry registry, GatewayConfig config) {
        this.dataSource = dataSource;
        this.publisher = publisher;
        this.registry = registry;
        ProjectRateLimiter limiter = new ProjectRateLimiter(config.rateLimitEventsPerSecond(), 2, System::nanoTime);
        IngestService service = new IngestService(keys, limiter, publisher, Clock.systemUTC(), registry);
        EventValidator validator = new EventValidator(Clock.systemUTC(), java.time.Duration.ofMinutes(5), config.backfillWindow());
        QueuedThreadPool jettyThreads = new QueuedThreadPool(250, 8, 60_000); // Javalin's default pool, named the same
        jettyThreads.setName("JettyServerThreadPool");
        // a definition's grouping keys are read like API keys: through a cache with the key cache's lifetime
        IngestHandler ingest = new IngestHandler(service, validator,
                dataSource == null ? null : new GroupingKeys(dataSource, config.keyCacheTtl(), Clock.systemUTC()));
        AtomicInteger inFlight = registry.gauge("ingest.requests.in.flight", new AtomicInteger());
        SingleEventRoute singles = new SingleEventRoute(ingest, service, jettyThreads, inFlight);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = IngestHandler.MAX_BATCH_BYTES + 64 * 1024;
            cfg.jetty.threadPool = jettyThreads;
            // SIGTERM drains: stop accepting, let in-flight requests finish (up to 30 s), then stop
            cfg.jetty.modifyServer(server -> {
                // Javalin attaches itself inside the innermost wrapper: single events never reach it
                server.setHandler(new GracefulHandler(singles));
                server.setStopTimeout(30_000);
            });
            Problems.install(cfg);
            cfg.routes.before("/api/*", ctx -> inFlight.incrementAndGet());
            cfg.routes.after("/api/*", ctx -> inFlight.decrementAndGet());
            cfg.routes.post("/api/v1/ingest/batch", ingest::batch);
            cfg.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "up")));
            cfg.routes.get("/health/ready", ctx -> {
                boolean kafka = publisher.isReachable();
                boolean store = keys.isReachable();
                ctx.status(kafka && store ? 200 : 503)
                        .json(Map.of("status", kafka && store ? "ready" : "not ready", "kafka", kafka, "keyStore", store));
            });
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
        });
    }

    /** Wires the real key store (PostgreSQL) and the real publisher (Kafka transactions). */
    public static GatewayApp create(GatewayConfig config) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.dbUrl());
        hc.setUsername(config.dbUser());
        hc.setPassword(config.dbPassword());
        hc.setMaximumPoolSize(4);
        hc.setPoolName("gateway-keys");
        hc.setInitializationFailTimeout(-1); // start even if PostgreSQL is down; /health/ready tells
        HikariDataSource ds = new HikariDataSource(hc);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        ApiKeyStore keys = new PostgresApiKeyStore(ds, config.keyCacheTtl(), Clock.systemUTC());
        EventPublisher publisher = new KafkaEventPublisher(config.kafkaBootstrapServers(), config.topic(),
                "gateway-" + instanceId(config), config.publishWorkers(), config.kafkaRetryBackoff(), config.publishTimeout(),
                registry);
        return new GatewayApp(ds, keys, publisher, registry, config);
    }

    /**
     * Transactional ids must be unique per running gateway (two producers with one id fence each
     * other) and should be stable across its restarts (the new producer then aborts what the old
     * one left open). Defaults to host name and port; a random port gets a random id.
     */
    private static String instanceId(GatewayConfig config) {
        if (config.instanceId() != null) {
            return config.instanceId();
        }
        if (config.port() == 0) {
            return "ephemeral-" + java.util.UUID.randomUUID();
        }
        try {
            return InetAddress.getLocalHost().getHostName() + "-" + config.port();
        } catch (java.net.UnknownHostException e) {
            return "port-" + config.port();
        }
    }

    public GatewayApp start(int port) {
        app.start(port);
        LOG.info("ingest gateway listening on port {}", app.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    public Javalin app() {
        return app;
    }

    /** Stops taking requests, lets in-flight ones finish, flushes the publisher, closes the pool. */
    @Override
    public void close() {
        app.stop();
        publisher.close();
        dataSource.close();
        registry.close();
    }

    public static void main(String[] args) {
        GatewayConfig config = GatewayConfig.fromEnv(System.getenv());
        GatewayApp gateway = create(config).start(config.port());
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "gateway-shutdown"));
    }
}
