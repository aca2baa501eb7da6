package dev.meterbill.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.events.UsageEvent;
import dev.meterbill.events.UsageEventCodec;
import dev.meterbill.jobs.usage.JobConfig;
import dev.meterbill.jobs.usage.UsageAggregationJob;
import dev.meterbill.testkit.KafkaBroker;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events with and without idempotency keys, a repeat of every seventh keyed one, two organisations and days in
 * Asia/Kolkata: the archive holds each accepted event once, read back with parquet's own reader, in its
 * organisation's day, its fields as they were sent.
 */
class EventArchiveIT {

    private static final String TOPIC = "archive-it-usage";
    private static final String ZONE = "Asia/Kolkata";

    @Test
    void everyAcceptedEventIsArchivedOnceUnderItsOrganisationAndDay(@TempDir Path dir) throws Exception {
        UUID[] organisations = {UUID.randomUUID(), UUID.randomUUID()};
        UUID[] projects = {UUID.randomUUID(), UUID.randomUUID()};
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, UsageEvent> accepted = new HashMap<>();
        try (KafkaBroker kafka = KafkaBroker.start()) {
            kafka.createTopics(2, TOPIC, TOPIC + "-dlq");
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 3_000; i++) {
                    int o = i % 2;
                    String key = i % 10 == 0 ? null : "key-" + i;
                    // a minute apart, back over two days: both organisations get events on two or three IST days
                    UsageEvent e = new UsageEvent(UUID.randomUUID(), projects[o], organisations[o], "api_calls",
                            new BigDecimal(i + ".000125"), "count", now.minusSeconds(60L * i), now, ZONE,
                            Map.of("region", i % 3 == 0 ? "in" : "us"), key);
                    accepted.put(e.eventId().toString(), e);
                    producer.send(new ProducerRecord<>(TOPIC, e.projectId().toString(), UsageEventCodec.encode(e)));
                    if (key != null && i % 7 == 0) { // a producer's retry: a new envelope, the same key
                        UsageEvent repeat = new UsageEvent(UUID.randomUUID(), e.projectId(), e.organisationId(), e.metricName(),
                                e.metricValue(), e.unit(), e.timestamp(), now, ZONE, e.metadata(), key);
                        producer.send(new ProducerRecord<>(TOPIC, e.projectId().toString(), UsageEventCodec.encode(repeat)));
                    }
                }
            }

            JobConfig config = JobConfig.fromArgs(new String[] {"--kafka.bootstrap", kafka.bootstrapServers(), "--topic", TOPIC,
                "--group.id", "archive-it", "--checkpoint.interval.ms", "500", "--parallelism", "2"});
            Configuration flink = new Configuration();
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // a failing writer fails the test, not retries forever
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
            UsageAggregationJob.configure(env, config);
            // bounded at the offsets written above: the job ends, and its final checkpoint commits the last files
            EventArchiveJob.attach(UsageAggregationJob.source(env, config, UsageAggregationJob.kafkaSourceBuilder(config)
                            .setBounded(OffsetsInitializer.latest()).build()),
                    config, dir.toUri().toString());
            env.execute("archive-it");
        }

        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("only committed files: nothing in progress, nothing hidden")
                .allMatch(f -> f.getFileName().toString().startsWith("events") && f.toString().endsWith(".parquet"));
        Map<String, GenericRecord> archived = new HashMap<>();
        for (Path file : files) {
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file),
                    new PlainParquetConfiguration()).withDataModel(GenericData.get()).build()) {
                GenericRecord r = reader.read();
                while (r != null) {
                    String id = r.get("eventId").toString();
                    assertThat(archived.put(id, r)).as("archived twice: " + id).isNull();
                    UsageEvent sent = accepted.get(id);
                    assertThat(sent).as("not an accepted event (a repeat of a key?): " + id).isNotNull();
                    String day = sent.timestamp().atZone(ZoneId.of(ZONE)).toLocalDate().toString();
                    assertThat(dir.relativize(file.getParent()).toString())
                            .isEqualTo("organisation=" + sent.organisationId() + "/date=" + day);
                    assertThat(r.get("value").toString()).isEqualTo(sent.metricValue().toPlainString());
                    assertThat(r.get("timestamp").toString()).isEqualTo(sent.timestamp().toString());
                    assertThat(String.valueOf(r.get("idempotencyKey"))).isEqualTo(String.valueOf(sent.idempotencyKey()));
                    assertThat(((Map<?, ?>) r.get("metadata")).entrySet().iterator().next().getValue().toString())
                            .isEqualTo(sent.metadata().get("region"));
                    r = reader.read();
                }
            }
        }
        assertThat(archived.keySet()).as("every accepted event, once").isEqualTo(accepted.keySet());
    }
}
