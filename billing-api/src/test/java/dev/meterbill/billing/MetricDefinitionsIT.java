package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.events.UsageTopics;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.HttpTestClient.Response;
import dev.meterbill.testkit.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Metric definitions against the real PostgreSQL and a real Kafka broker: a committed definition and each new version
 * of it reach the compacted topic the aggregation job reads; refusals are problem+json naming the field.
 */
class MetricDefinitionsIT {

    private static final KafkaBroker KAFKA = startKafka();
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass(c -> c.withKafka(KAFKA.bootstrapServers()));
    private static final HttpTestClient client = running.client();
    private static OrgFixture org;

    private static KafkaBroker startKafka() {
        try {
            return KafkaBroker.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void start() {
        org = running.createOrganisation("Definer");
    }

    @AfterAll
    static void stopKafka() throws IOException {
        KAFKA.close();
    }

    private static final String TOKENS = """
            {"key":"llm_tokens","displayName":"LLM tokens","unit":"tokens","eventMetric":"tokens","aggregation":"sum",
             "filters":[{"property":"region","op":"in","values":["in","us"]}],"groupBy":["model","region"]}""";

    @Test
    void aDefinitionAndEachNewVersionArePublishedToTheCompactedTopic() throws Exception {
        Response created = client.postJson("/api/v1/metrics", ADMIN_TOKEN, TOKENS);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("versions")).hasSize(1);
        assertThat(created.json().get("versions").get(0).get("groupBy").toString()).isEqualTo("[\"model\",\"region\"]");

        JsonNode first = awaitPublished("llm_tokens", 1);
        assertThat(first.get("versions").get(0).get("eventMetric").asText()).isEqualTo("tokens");
        assertThat(first.get("versions").get(0).get("filters").get(0).get("values").toString()).isEqualTo("[\"in\",\"us\"]");

        Response changed = client.send("PATCH", "/api/v1/metrics/llm_tokens", ADMIN_TOKEN, "{\"groupBy\":[\"model\"]}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("versions")).hasSize(2);
        JsonNode second = awaitPublished("llm_tokens", 2);
        assertThat(second.get("versions").get(1).get("groupBy").toString()).isEqualTo("[\"model\"]");
        assertThat(second.get("versions").get(0).get("groupBy").toString())
                .as("version 1 is kept as it was: periods metered under it are not rewritten").isEqualTo("[\"model\",\"region\"]");

        Config topic = KAFKA.admin().describeConfigs(Set.of(new ConfigResource(ConfigResource.Type.TOPIC,
                UsageTopics.METRIC_DEFINITIONS))).all().get().values().iterator().next();
        assertThat(topic.get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(client.get("/metrics", null).body()).contains("billing_metric_definitions_unpublished 0.0");
    }

    @Test
    void everyCallerReadsDefinitionsOnlyTheOperatorWritesThem() {
        client.postJson("/api/v1/metrics", ADMIN_TOKEN, """
                {"key":"monthly_active_users","displayName":"Monthly active users","unit":"users",
                 "eventMetric":"api_calls","aggregation":"unique_count","uniqueProperty":"user_id"}""");
        Response list = client.get("/api/v1/metrics", org.secretKey());
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(list.body()).contains("\"monthly_active_users\"");
        Response one = client.get("/api/v1/metrics/monthly_active_users", org.secretKey());
        assertThat(one.json().get("versions").get(0).get("uniqueProperty").asText()).isEqualTo("user_id");

        assertThat(client.postJson("/api/v1/metrics", org.secretKey(), TOKENS.replace("llm_tokens", "planted")).status())
                .isEqualTo(403);
        assertThat(client.send("PATCH", "/api/v1/metrics/monthly_active_users", org.secretKey(), "{\"unit\":\"x\"}").status())
                .isEqualTo(403);
        assertThat(client.get("/api/v1/metrics/planted", ADMIN_TOKEN).status()).isEqualTo(404);
    }

    @Test
    void refusalsNameTheFieldAndADuplicateIsAConflict() {
        Response bad = client.postJson("/api/v1/metrics", ADMIN_TOKEN, """
                {"key":"bad","displayName":"Bad","unit":"u","aggregation":"unique_count",
                 "groupBy":["a","b","c","d"],"filters":[{"property":"x","op":"like","value":"y"}]}""");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
        assertThat(bad.body()).contains("\"uniqueProperty\"", "\"groupBy\"", "\"filters[0].op\"");

        client.postJson("/api/v1/metrics", ADMIN_TOKEN, TOKENS.replace("llm_tokens", "twice"));
        Response again = client.postJson("/api/v1/metrics", ADMIN_TOKEN, TOKENS.replace("llm_tokens", "twice"));
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        Response past = client.send("PATCH", "/api/v1/metrics/twice", ADMIN_TOKEN,
                "{\"effectiveFrom\":\"2020-01-01T00:00:00Z\"}");
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.body()).contains("\"effectiveFrom\"");
        assertThat(client.send("PATCH", "/api/v1/metrics/unknown", ADMIN_TOKEN, "{\"unit\":\"x\"}").status()).isEqualTo(404);
        assertThat(client.get("/api/v1/metrics/twice", ADMIN_TOKEN).json().get("versions")).hasSize(1);
    }

    /** The last record of {@code key} on the topic, once it carries {@code versions} versions. */
    private static JsonNode awaitPublished(String key, int versions) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "metric-definitions-it-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(UsageTopics.METRIC_DEFINITIONS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            JsonNode last = null;
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        last = JSON.readTree(r.value());
                    }
                }
                if (last != null && last.get("versions").size() == versions) {
                    return last;
                }
            }
            throw new AssertionError("no record of " + key + " with " + versions + " versions within 30 s; last: " + last);
        }
    }
}
