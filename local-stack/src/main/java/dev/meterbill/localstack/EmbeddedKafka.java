package dev.meterbill.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import dev.meterbill.localstack.cluster.KafkaBrokerProcess;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running in this JVM.
 *
 * <p>Storage is formatted with Kafka's own StorageTool, exactly as {@code kafka-storage.sh format}
 * does, so the broker is the same code an operator runs; only the process boundary is missing.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final KafkaRaftServer server;

    private EmbeddedKafka(Path dataDir, int port, int controllerPort, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.server = server;
    }

    /** Formats {@code dataDir} if it is new and starts a broker on {@code port} (0 picks a free one). */
    public static EmbeddedKafka start(Path dataDir, int port) throws IOException {
        return start(dataDir, port, 0);
    }

    /** Starts the same broker again after {@link #close()}: same data, same ports, as a restarted process. */
    public EmbeddedKafka restart() throws IOException {
        return start(dataDir, port, controllerPort);
    }

    private static EmbeddedKafka start(Path dataDir, int port, int controllerPortOrZero) throws IOException {
        int brokerPort = port == 0 ? freePort() : port;
        int controllerPort = controllerPortOrZero == 0 ? freePort() : controllerPortOrZero;
        Files.createDirectories(dataDir);
        // the same single-node KRaft settings as the broker process of ./billing cluster
        Properties props = KafkaBrokerProcess.serverProperties(dataDir, brokerPort, controllerPort);
        Path propsFile = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(propsFile)) {
            props.store(out, "embedded kafka");
        }
        if (!Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(),
                    "-c", propsFile.toString(), "--ignore-formatted"}, new PrintStream(log, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IOException("kafka storage format failed: " + log.toString(StandardCharsets.UTF_8));
            }
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        EmbeddedKafka kafka = new EmbeddedKafka(dataDir, brokerPort, controllerPort, server);
        kafka.awaitReady(Duration.ofSeconds(60));
        return kafka;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Creates topics if they do not exist yet (as {@link KafkaBrokerProcess#createTopics(Admin, int, String...)}). */
    public void createTopics(int partitions, String... names) throws IOException {
        try (Admin admin = admin()) {
            KafkaBrokerProcess.createTopics(admin, partitions, names);
        }
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    Thread.sleep(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IOException("kafka broker did not become ready within " + timeout);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
