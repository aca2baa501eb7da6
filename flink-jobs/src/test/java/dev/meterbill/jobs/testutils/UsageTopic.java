package dev.meterbill.jobs.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.testkit.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The Kafka ITs' side of a usage topic: envelopes in, keyed by project as the gateway keys them, dead letters out. */
public final class UsageTopic {

    private static final ObjectMapper JSON = new ObjectMapper();

    private UsageTopic() {}

    public static void send(KafkaProducer<byte[], byte[]> producer, String topic, UUID project, byte[] envelope) {
        producer.send(new ProducerRecord<>(topic, project.toString().getBytes(StandardCharsets.UTF_8), envelope));
    }

    /** The dead letters of {@code dlqTopic}, read from the start until {@code count} arrived or {@code timeout} passed. */
    public static List<JsonNode> deadLetters(KafkaBroker kafka, String dlqTopic, int count, Duration timeout)
            throws IOException {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-dlq-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(dlqTopic));
            long deadline = System.nanoTime() + timeout.toNanos();
            List<JsonNode> letters = new ArrayList<>();
            while (letters.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    letters.add(JSON.readTree(r.value()));
                }
            }
            return letters;
        }
    }
}
