package dev.meterbill.localstack.cluster;

import dev.meterbill.events.UsageTopics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one) as its own JVM running
 * {@code kafka.Kafka server.properties}, which is what {@code kafka-server-start.sh} runs. Its
 * storage is formatted once with Kafka's StorageTool, so data survives a restart of the process.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private final ManagedProcess process;
    private final int port;

    private KafkaBrokerProcess(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Formats {@code workDir/kafka} if new, starts the broker on {@code port} (controller on
     * {@code controllerPort}) from {@code classpath}, and waits until it answers.
     */
    public static KafkaBrokerProcess start(Path workDir, int port, int controllerPort, String classpath, Duration timeout)
            throws IOException, InterruptedException {
        Path dataDir = workDir.resolve("kafka").toAbsolutePath();
        Files.createDirectories(dataDir);
        Path propsFile = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(propsFile)) {
            serverProperties(dataDir, port, controllerPort).store(out, "single-node KRaft broker of meterbill local-stack");
        }
        if (!Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString(),
                    "--ignore-formatted"}, new PrintStream(log, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IOException("kafka storage format failed: " + log.toString(StandardCharsets.UTF_8));
            }
        }
        ManagedProcess p = ManagedProcess.launch(new ManagedProcess.Spec("kafka",
                        List.of("-Xmx512m", "-Xms256m", "-XX:+UseG1GC"), classpath, "kafka.Kafka",
                        List.of(propsFile.toString()), Map.of()),
                workDir.resolve("pids"), workDir.resolve("logs"));
        KafkaBrokerProcess broker = new KafkaBrokerProcess(p, port);
        try {
            broker.awaitReady(timeout);
        } catch (IOException | RuntimeException e) {
            p.stop(Duration.ofSeconds(10));
            throw e;
        }
        return broker;
    }

    /** One KRaft node, broker and controller, with replication factors of 1: a local broker. */
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

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public ManagedProcess process() {
        return process;
    }

    /** Creates the topics that do not exist yet. */
    public void createTopics(int partitions, String... names) throws IOException {
        try (Admin admin = admin()) {
            createTopics(admin, partitions, names);
        }
    }

    /**
     * Creates the topics that do not exist yet on the broker behind {@code admin}, with one replica
     * and the broker timestamps the job relies on ({@link UsageTopics#CONFIG}). Shared
     * with the in-process {@code EmbeddedKafka}.
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
            } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
                throw new IOException("creating topic " + name + " timed out", e);
            }
        }
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        // an Admin client started before the port is open logs a warning per retry: wait for the listener first
        Poll.until("Kafka listener on port " + port, timeout, () -> {
            if (!process.isAlive()) {
                throw new Poll.Fatal("the Kafka broker exited; see " + process.log());
            }
            try (java.net.Socket s = new java.net.Socket("localhost", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        try (Admin admin = admin()) {
            Poll.until("Kafka broker on " + bootstrapServers(), timeout, () -> {
                if (!process.isAlive()) {
                    throw new Poll.Fatal("the Kafka broker exited; see " + process.log());
                }
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return true;
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    return false;
                }
            });
        }
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(20));
    }
}
