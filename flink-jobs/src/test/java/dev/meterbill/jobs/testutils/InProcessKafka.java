package dev.meterbill.jobs.testutils;

import dev.meterbill.events.UsageTopics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;

/** A real single-node KRaft broker in this JVM, on free ports and its own temp directory. */
public final class InProcessKafka implements AutoCloseable {

    private final Path dir;
    private final String bootstrap;
    private final KafkaRaftServer server;

    private InProcessKafka(Path dir, String bootstrap, KafkaRaftServer server) {
        this.dir = dir;
        this.bootstrap = bootstrap;
        this.server = server;
    }

    public static InProcessKafka start() throws Exception {
        Path dir = Files.createTempDirectory("kafka-it-");
        int port = freePort();
        int controllerPort = freePort();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        props.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", dir.resolve("data").toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "2");
        Path config = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, null);
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()},
                new PrintStream(log, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("kafka storage format failed: " + log.toString(StandardCharsets.UTF_8));
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        InProcessKafka kafka = new InProcessKafka(dir, "localhost:" + port, server);
        try (Admin admin = kafka.admin()) {
            admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
        return kafka;
    }

    public String bootstrap() {
        return bootstrap;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    public void createTopics(int partitions, String... names) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(Stream.of(names)
                            .map(n -> new NewTopic(n, partitions, (short) 1).configs(UsageTopics.CONFIG)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * A usage topic of its own and its DLQ, 2 partitions each: each test job reads its topic from
     * the start and must not see other tests' events. Returns the usage topic's name.
     */
    public String newUsageTopics(String name) throws Exception {
        String topic = UsageTopics.USAGE + "-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        createTopics(2, topic, UsageTopics.deadLettersOf(topic));
        return topic;
    }

    /** The arguments of a job that reads {@code topic} (DLQ {@code topic-dlq}) from this broker, in a fresh group, into {@code db}. */
    public List<String> jobArgs(String topic, TestDatabase db) {
        return new ArrayList<>(List.of("--kafka.bootstrap", bootstrap, "--topic", topic,
                "--dlq.topic", UsageTopics.deadLettersOf(topic), "--group.id", "it-" + UUID.randomUUID(),
                "--jdbc.url", db.url(), "--jdbc.user", TestDatabase.USER, "--jdbc.password", TestDatabase.PASSWORD));
    }

    /** Sends {@code values} under one record key in a single committed transaction, as the gateway does. */
    public void produceInTransaction(String topic, String key, List<byte[]> values) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-gateway-" + UUID.randomUUID(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            values.forEach(v -> producer.send(new ProducerRecord<>(topic, keyBytes, v)));
            producer.commitTransaction();
        }
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = files.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
