package dev.meterbill.billing.metric;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.billing.db.Sql;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.events.UsageTopics;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes committed metric definitions from their outbox to the compacted topic {@code metric-definitions}: key the
 * definition's key, value every version of it as JSON. A row is marked published only after the broker acknowledged
 * the record (acks=all); a failed send leaves it for the next round, so a committed definition is always published,
 * at least once. One relay at a time publishes (a PostgreSQL advisory lock), and it reads each definition when it
 * sends it, so the last record of a key is always the latest state, whatever the number of billing-api instances.
 */
public final class MetricDefinitionRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricDefinitionRelay.class);
    /** pg_try_advisory_xact_lock key of the relay ("metric-definition-relay" as two ints). */
    private static final long LOCK = 0x6d65_7472_6963_6465L;
    private static final int BATCH = 100;

    private final Transactions transactions;
    private final MetricDefinitions definitions;
    private final ObjectMapper json;
    private final String bootstrap;
    private final String topic;
    private KafkaProducer<String, byte[]> producer;
    private boolean topicReady;

    public MetricDefinitionRelay(Transactions transactions, MetricDefinitions definitions, ObjectMapper json,
                                 String bootstrap, String topic) {
        this.transactions = transactions;
        this.definitions = definitions;
        this.json = json;
        this.bootstrap = bootstrap;
        this.topic = topic;
    }

    public static MetricDefinitionRelay of(Transactions transactions, MetricDefinitions definitions, ObjectMapper json,
                                           String bootstrap) {
        return new MetricDefinitionRelay(transactions, definitions, json, bootstrap, UsageTopics.METRIC_DEFINITIONS);
    }

    /** Outbox rows not published yet: {@code billing_metric_definitions_unpublished}, alarmed in docs/operations.md. */
    public static long unpublished(Transactions transactions) {
        return transactions.readOnly(c -> Sql.single(c,
                "SELECT count(*) FROM metric_definition_outbox WHERE published_at IS NULL", rs -> rs.getLong(1)));
    }

    /** Publishes what the outbox holds, up to 100 rows a round; returns the rows published. Called periodically. */
    public synchronized int publishDue() {
        if (bootstrap == null) {
            return 0;
        }
        try {
            ensureTopic();
            return transactions.inTransaction(c -> {
                if (!Sql.single(c, "SELECT pg_try_advisory_xact_lock(?)", rs -> rs.getBoolean(1), LOCK)) {
                    return 0; // another instance is publishing
                }
                List<Long> ids = new ArrayList<>();
                Set<String> keys = new LinkedHashSet<>();
                Sql.list(c, "SELECT id, key FROM metric_definition_outbox WHERE published_at IS NULL ORDER BY id LIMIT "
                        + BATCH, rs -> {
                            ids.add(rs.getLong(1));
                            keys.add(rs.getString(2));
                            return null;
                        });
                if (ids.isEmpty()) {
                    return 0;
                }
                send(c, keys);
                Sql.update(c, "UPDATE metric_definition_outbox SET published_at = now() WHERE id = ANY(?)",
                        Sql.array(c, "bigint", ids));
                return ids.size();
            });
        } catch (NotPublished | KafkaException e) {
            LOG.warn("Metric definitions not published this round (they stay in the outbox): {}",
                    (e.getCause() != null ? e.getCause() : e).toString());
            return 0;
        }
    }

    /** Sends the current state of each definition and waits for the broker's acknowledgements. */
    private void send(Connection c, Set<String> keys) throws SQLException {
        try {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (String key : keys) {
                Optional<MetricDefinition> definition = definitions.find(c, key, false);
                if (definition.isPresent()) {
                    sends.add(producer().send(new ProducerRecord<>(topic, key, json.writeValueAsBytes(definition.get()))));
                }
            }
            for (Future<RecordMetadata> send : sends) {
                send.get(15, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException | JsonProcessingException e) {
            throw new NotPublished(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotPublished(e);
        }
    }

    /** The round failed: its transaction rolls back and the outbox rows wait for the next one. */
    private static final class NotPublished extends RuntimeException {
        NotPublished(Throwable cause) {
            super(cause);
        }
    }

    private void ensureTopic() {
        if (topicReady) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(UsageTopics.METRIC_DEFINITIONS_CONFIG))).all().get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new NotPublished(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotPublished(e);
        } catch (TimeoutException e) {
            throw new NotPublished(e);
        }
        topicReady = true;
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 12_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000), new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
