package dev.meterbill.jobs.usage.parse;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes each Kafka record inside the source, so that the source can assign event time and
 * watermarks per partition; never throws on content (bad records become dead letters).
 */
public final class EnvelopeDeserializer implements KafkaRecordDeserializationSchema<ParsedEnvelope> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedEnvelope> out) {
        out.collect(EnvelopeParser.parse(
                new RawEnvelope(record.topic(), record.partition(), record.offset(), record.timestamp(),
                        record.key(), record.value())));
    }

    @Override
    public TypeInformation<ParsedEnvelope> getProducedType() {
        return TypeInformation.of(ParsedEnvelope.class);
    }
}
