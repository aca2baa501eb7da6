package dev.meterbill.gateway.testutils;

import dev.meterbill.service.ApiKeyHash;
import dev.meterbill.events.UsageEvent;
import dev.meterbill.events.UsageEventCodec;
import dev.meterbill.events.UsageTopics;
import dev.meterbill.gateway.GatewayApp;
import dev.meterbill.gateway.GatewayConfig;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.KafkaBroker;
import dev.meterbill.testkit.ServiceExtension;
import dev.meterbill.testkit.StartupGuard;
import dev.meterbill.testkit.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A real broker and a database with the schema, with helpers to start gateways against them, to
 * add projects with their ingest keys, and to read back what Kafka committed. On a static
 * {@code @RegisterExtension} field it runs for all tests of the class.
 *
 * <p>Projects and keys are rows written as billing-api writes them (the key stored as
 * {@link ApiKeyHash}), so the gateway is tested without billing-api running.
 */
public final class GatewayFixture extends ServiceExtension<GatewayFixture.Infrastructure> {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What runs: the database, the broker, a work dir for logs, and the gateways the tests started. */
    public record Infrastructure(TestDatabase database, KafkaBroker kafka, Path workDir, List<GatewayApp> gateways)
            implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                gateways.forEach(GatewayApp::close);
                kafka.close();
            } finally {
                database.close();
            }
        }
    }

    public GatewayFixture() {
        super(Scope.CLASS, GatewayFixture::launch);
    }

    private static Infrastructure launch() throws Exception {
        try (StartupGuard guard = new StartupGuard()) {
            TestDatabase database = guard.add(TestDatabase.create());
            KafkaBroker kafka = guard.add(KafkaBroker.start());
            kafka.createTopics(4, UsageTopics.USAGE);
            return guard.started(new Infrastructure(database, kafka, Files.createTempDirectory("gateway-it"),
                    new CopyOnWriteArrayList<>()));
        }
    }

    public KafkaBroker kafka() {
        return get().kafka();
    }

    public TestDatabase database() {
        return get().database();
    }

    /** Where a test may keep what explains a failure (a gateway process's log). */
    public Path workDir() {
        return get().workDir();
    }

    /** A gateway on a random port with a 1 s key cache and the given rate limit; stopped with the fixture. */
    public GatewayApp startGateway(long rateLimitPerSecond) {
        return startGateway(rateLimitPerSecond, 0);
    }

    /** A gateway on {@code port} (0: any free one), as a restarted process comes back on its own port. */
    public GatewayApp startGateway(long rateLimitPerSecond, int port) {
        TestDatabase db = database();
        GatewayConfig config = GatewayConfig.local(kafka().bootstrapServers(), db.url(), 0)
                .withDatabase(db.url(), db.user(), db.password())
                .withKeyCacheTtl(Duration.ofSeconds(1))
                .withRateLimit(rateLimitPerSecond);
        GatewayApp gateway = GatewayApp.create(config).start(port);
        get().gateways().add(gateway);
        return gateway;
    }

    /**
     * The gateway's production main in a JVM of its own on {@code port}, configured through the environment only
     * ({@code extraEnv} on top), its output in the work dir's {@code gateway-<instanceId>.log}; returns once it is
     * ready. Stop it with SIGTERM ({@code destroy}) or SIGKILL ({@code destroyForcibly}).
     */
    public Process startGatewayProcess(int port, String instanceId, Map<String, String> extraEnv) throws Exception {
        String classpath = "target/classes:" + Files.readString(Path.of("target/test-classpath.txt")).trim();
        Path log = workDir().resolve("gateway-" + instanceId + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classpath, "dev.meterbill.gateway.GatewayApp")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        TestDatabase db = database();
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafka().bootstrapServers());
        pb.environment().put("BILLING_DB_URL", db.url());
        pb.environment().put("BILLING_DB_USER", db.user());
        pb.environment().put("BILLING_DB_PASSWORD", db.password());
        pb.environment().put("GATEWAY_PORT", String.valueOf(port));
        pb.environment().put("GATEWAY_INSTANCE_ID", instanceId);
        pb.environment().putAll(extraEnv);
        Process gateway = pb.start();
        HttpTestClient client = new HttpTestClient(port);
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && gateway.isAlive()) {
            try {
                if (client.get("/health/ready", null).status() == 200) {
                    return gateway;
                }
            } catch (UncheckedIOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        gateway.destroyForcibly();
        throw new IllegalStateException("gateway process did not become ready: " + Files.readString(log));
    }

    /** A project of an organisation of its own (billing timezone UTC), and its plain ingest key. */
    public record Project(UUID id, UUID organisationId, String apiKey) {}

    /** Adds an organisation, a project and an active project key, as billing-api would store them. */
    public Project newProject() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        Project project = new Project(UUID.randomUUID(), UUID.randomUUID(),
                "pk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        TestDatabase db = database();
        db.update("INSERT INTO organisations (id, name, billing_email) VALUES (?, ?, 'ops@example.com')",
                project.organisationId(), "org-" + project.organisationId());
        db.update("INSERT INTO projects (id, organisation_id, name) VALUES (?, ?, 'p')",
                project.id(), project.organisationId());
        db.update("""
                INSERT INTO api_keys (id, kind, organisation_id, project_id, key_hash, key_prefix)
                VALUES (?, 'project', ?, ?, ?, ?)""", UUID.randomUUID(), project.organisationId(), project.id(),
                ApiKeyHash.of(project.apiKey()), project.apiKey().substring(0, 12));
        return project;
    }

    /** Revokes every key of the project, as {@code DELETE /projects/{id}/api-keys/{keyId}} does. */
    public void revokeKeys(Project project) {
        database().update("UPDATE api_keys SET revoked_at = now() WHERE project_id = ?", project.id());
    }

    /** Every event a read_committed consumer (as the aggregation job) sees on the topic. */
    public List<UsageEvent> committedEvents() {
        List<UsageEvent> events = new ArrayList<>();
        forEachCommitted(events::add);
        return events;
    }

    /** Hands each event a read_committed consumer sees on the topic to {@code action}, without keeping them. */
    public void forEachCommitted(java.util.function.Consumer<UsageEvent> action) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(UsageTopics.USAGE).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the topic to its end");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    action.accept(UsageEventCodec.decode(r.value()));
                }
            }
        }
    }
}
