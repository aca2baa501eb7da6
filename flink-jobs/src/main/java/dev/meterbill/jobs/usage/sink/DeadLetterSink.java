package dev.meterbill.jobs.usage.sink;

import dev.meterbill.jobs.usage.parse.DeadLetter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes dead letters to the DLQ topic as JSON {@code {"reason","payload","key","topic","partition","offset"}}.
 *
 * <p>At-least-once on purpose: the DLQ is for people investigating bad producers, a repeated
 * letter after a restore is harmless, and it spares the job Kafka transactions and their timeouts.
 */
public final class DeadLetterSink {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DeadLetterSink() {}

    public static KafkaSink<DeadLetter> kafka(String bootstrapServers, String topic) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(new Serializer(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    /** The JSON value of a DLQ record; Kafka coordinates appear only when known. */
    public static byte[] toJson(DeadLetter letter) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("reason", letter.reason());
        n.put("payload", letter.payload());
        if (letter.key() != null) {
            n.put("key", letter.key());
        }
        if (letter.topic() != null) {
            n.put("topic", letter.topic());
            n.put("partition", letter.partition());
            n.put("offset", letter.offset());
        }
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a dead letter", e);
        }
    }

    /** Keeps the original record key, so letters of one project stay together. */
    private static final class Serializer implements KafkaRecordSerializationSchema<DeadLetter> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        Serializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
            byte[] key = letter.key() == null ? null : letter.key().getBytes(StandardCharsets.UTF_8);
            return new ProducerRecord<>(topic, key, toJson(letter));
        }
    }
}
