package dev.meterbill.testkit;

import dev.meterbill.events.UsageTopics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running in this JVM.
 *
 * <p>Storage is formatted with Kafka's own StorageTool, as {@code kafka-storage.sh format} does, so
 * the broker is the code an operator runs; only the process boundary is missing. Its
 * {@link #serverProperties server properties} are the one definition of a local broker: the broker
 * process of {@code ./billing cluster} writes the same ones. {@link #stop()} and {@link #restart()}
 * take it down and bring it back on the same data and ports, as a restarted process would.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(60);

    private final Path dataDir;
    private final boolean temporary;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    private KafkaBroker(Path dataDir, boolean temporary, int port, int controllerPort) {
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** A broker on free ports in a temporary directory, deleted on {@link #close()}. */
    public static KafkaBroker start() throws IOException {
        KafkaBroker broker = new KafkaBroker(Files.createTempDirectory("kafka-"), true, freePort(), freePort());
        broker.restart();
        return broker;
    }

    /** A broker on {@code port} (0 picks a free one) whose data lives in {@code dataDir}, formatted if new and kept. */
    public static KafkaBroker start(Path dataDir, int port) throws IOException {
        KafkaBroker broker = new KafkaBroker(dataDir, false, port == 0 ? freePort() : port, freePort());
        broker.restart();
        return broker;
    }

    /** One KRaft node, broker and controller, with replication factors of 1 and no topic auto-creation. */
    public static Properties serverProperties(Path dataDir, int port, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        props.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.resolve("logs").toString());
        props.put("num.partitions", "4");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        return props;
    }

    /**
     * Writes {@code dataDir/server.properties} and formats the storage if it is new (data survives a
     * restart); returns the properties file, which {@code kafka.Kafka} accepts as its argument.
     */
    public static Path prepare(Path dataDir, int port, int controllerPort) throws IOException {
        Files.createDirectories(dataDir);
        Path propsFile = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(propsFile)) {
            serverProperties(dataDir, port, controllerPort).store(out, "single-node KRaft broker of meterbill");
        }
        if (!Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(),
                    "-c", propsFile.toString(), "--ignore-formatted"}, new PrintStream(log, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IOException("kafka storage format failed: " + log.toString(StandardCharsets.UTF_8));
            }
        }
        return propsFile;
    }

    /**
     * Creates the topics that do not exist yet on the broker behind {@code admin}, with one replica
     * and the broker timestamps the job relies on ({@link UsageTopics#CONFIG}).
     */
    public static void createTopics(Admin admin, int partitions, String... names) throws IOException {
        for (String name : names) {
            try {
                NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(UsageTopics.CONFIG);
                admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IOException("creating topic " + name + " failed", e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IOException("creating topic " + name + " timed out", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while creating topic " + name, e);
            }
        }
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** Creates the topics that do not exist yet (see {@link #createTopics(Admin, int, String...)}). */
    public void createTopics(int partitions, String... names) throws IOException {
        try (Admin admin = admin()) {
            createTopics(admin, partitions, names);
        }
    }

    /**
     * A usage topic of its own and its DLQ, 2 partitions each: each test job reads its topic from
     * the start and must not see other tests' events. Returns the usage topic's name.
     */
    public String newUsageTopics(String name) throws IOException {
        String topic = UsageTopics.USAGE + "-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        createTopics(2, topic, UsageTopics.deadLettersOf(topic));
        return topic;
    }

    /** Sends {@code values} under one record key in a single committed transaction, as the gateway does. */
    public void produceInTransaction(String topic, String key, List<byte[]> values) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-gateway-" + UUID.randomUUID(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            values.forEach(v -> producer.send(new ProducerRecord<>(topic, keyBytes, v)));
            producer.commitTransaction();
        }
    }

    /** Shuts the broker down as a stopped process; its data stays for {@link #restart()}. */
    public void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Starts the broker (again) on its data and ports, and waits until it answers. */
    public void restart() throws IOException {
        if (server != null) {
            throw new IllegalStateException("the broker is running");
        }
        prepare(dataDir, port, controllerPort);
        server = new KafkaRaftServer(KafkaConfig.fromProps(serverProperties(dataDir, port, controllerPort), false),
                Time.SYSTEM);
        server.startup();
        awaitReady();
    }

    /** Stops the broker; a temporary one also loses its data. */
    @Override
    public void close() throws IOException {
        stop();
        if (temporary && Files.exists(dataDir)) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY.toNanos();
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    Thread.sleep(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IOException("kafka broker did not become ready within " + READY);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
