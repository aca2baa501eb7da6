package dev.meterbill.jobs.usage;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Keeps key, value and coordinates of each Kafka record; never throws on content. */
public final class RawEnvelopeDeserializer implements KafkaRecordDeserializationSchema<RawEnvelope> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawEnvelope> out) {
        out.collect(new RawEnvelope(record.topic(), record.partition(), record.offset(), record.key(), record.value()));
    }

    @Override
    public TypeInformation<RawEnvelope> getProducedType() {
        return TypeInformation.of(RawEnvelope.class);
    }
}
