package dev.meterbill.localstack.cluster;

import dev.meterbill.testkit.KafkaBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

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
     * {@code controllerPort}) from {@code classpath}, and waits until it answers. Its server
     * properties are those of the in-process broker ({@link KafkaBroker#serverProperties}).
     */
    public static KafkaBrokerProcess start(Path workDir, int port, int controllerPort, String classpath, Duration timeout)
            throws IOException, InterruptedException {
        Path propsFile = KafkaBroker.prepare(workDir.resolve("kafka").toAbsolutePath(), port, controllerPort);
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

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public ManagedProcess process() {
        return process;
    }

    /** Creates the topics that do not exist yet (as {@link KafkaBroker#createTopics(Admin, int, String...)}). */
    public void createTopics(int partitions, String... names) throws IOException {
        try (Admin admin = admin()) {
            KafkaBroker.createTopics(admin, partitions, names);
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
