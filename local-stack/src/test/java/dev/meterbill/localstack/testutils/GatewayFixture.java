package dev.meterbill.localstack.testutils;

import dev.meterbill.events.UsageTopics;
import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.BillingApi;
import dev.meterbill.billing.BillingApiConfig;
import dev.meterbill.events.UsageEvent;
import dev.meterbill.events.UsageEventCodec;
import dev.meterbill.gateway.GatewayApp;
import dev.meterbill.gateway.GatewayConfig;
import dev.meterbill.localstack.ApiClient;
import dev.meterbill.localstack.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A real broker, a real database with the schema, billing-api to create tenants through its API,
 * and helpers to start gateways against them and to read back what Kafka committed.
 */
public final class GatewayFixture implements AutoCloseable {

    public static final String ADMIN = "fixture-admin-token";

    public final ApiClient api = new ApiClient();
    private final TestDatabase database;
    public final Path workDir;
    public EmbeddedKafka kafka;
    private final BillingApi billingApi;
    private final List<GatewayApp> gateways = new ArrayList<>();

    public GatewayFixture() throws Exception {
        workDir = Files.createTempDirectory("gateway-fixture");
        database = TestDatabase.create();
        kafka = EmbeddedKafka.start(workDir.resolve("kafka"), 0);
        kafka.createTopics(4, UsageTopics.USAGE);
        billingApi = BillingApi.create(new BillingApiConfig(dbUrl(), "postgres", "", 0, ADMIN)).start(0);
    }

    public String dbUrl() {
        return database.url();
    }

    /** A gateway on a random port with a 1 s key cache and the given rate limit. */
    public GatewayApp startGateway(long rateLimitPerSecond) {
        GatewayConfig config = new GatewayConfig(kafka.bootstrapServers(), UsageTopics.USAGE, dbUrl(), "postgres", "",
                0, Duration.ofDays(35), Duration.ofSeconds(1), Duration.ofSeconds(15), rateLimitPerSecond);
        GatewayApp gateway = GatewayApp.create(config).start(0);
        gateways.add(gateway);
        return gateway;
    }

    /** A project and its ingest key, created through billing-api. */
    public record Project(UUID id, String apiKey, String apiKeyId) {}

    public Project newProject() throws Exception {
        JsonNode org = api.post(billingApi() + "/api/v1/organisations", ADMIN,
                Map.of("name", "org-" + UUID.randomUUID(), "billingEmail", "ops@example.com")).expect(201).body();
        JsonNode p = api.post(billingApi() + "/api/v1/organisations/" + org.get("id").asText() + "/projects", ADMIN,
                Map.of("name", "p")).expect(201).body();
        return new Project(UUID.fromString(p.get("id").asText()), p.get("apiKey").asText(), p.get("apiKeyId").asText());
    }

    public String billingApi() {
        return "http://localhost:" + billingApi.port();
    }

    /** Every event a read_committed consumer (as the aggregation job) sees on the topic. */
    public List<UsageEvent> committedEvents() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(UsageTopics.USAGE).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<UsageEvent> events = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the topic to its end");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    events.add(UsageEventCodec.decode(r.value()));
                }
            }
            return events;
        }
    }

    @Override
    public void close() throws Exception {
        gateways.forEach(GatewayApp::close);
        billingApi.close();
        kafka.close();
        database.close();
    }
}
