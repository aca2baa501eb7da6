package dev.meterbill.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.gateway.testutils.GatewayFixture;
import dev.meterbill.gateway.testutils.IngestLoad;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.TestDatabase;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SIGTERM to a real gateway process under load: every event it acknowledged is in Kafka. */
class GatewayShutdownIT {

    @RegisterExtension
    static final GatewayFixture fx = new GatewayFixture();

    @Test
    void sigtermUnderLoadLosesNothingAcknowledged() throws Exception {
        GatewayFixture.Project project = fx.newProject();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process gateway = startGatewayProcess(port);
        try {
            String url = "http://localhost:" + port;
            awaitReady(port, gateway);
            IngestLoad load = new IngestLoad(url, project.apiKey(), 6);
            try {
                assertThat(load.awaitAcknowledged(3_000, 60_000)).isTrue();
                gateway.destroy(); // SIGTERM, as an orchestrator stopping the pod
                assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).as("gateway exits after draining").isTrue();
            } finally {
                load.close();
            }
            load.assertAcknowledgedExactly(fx.committedEvents());
            System.out.printf("shutdown: %d acknowledged, statuses %s, %d without answer%n",
                    load.acknowledged.size(), load.statuses, load.connectionErrors.get());
        } finally {
            gateway.destroyForcibly();
        }
    }

    /** The gateway's production main in a JVM of its own, configured through the environment only. */
    private static Process startGatewayProcess(int port) throws Exception {
        String classpath = "target/classes:" + Files.readString(Path.of("target/test-classpath.txt")).trim();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp", classpath,
                "dev.meterbill.gateway.GatewayApp"));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(fx.workDir().resolve("gateway.log").toFile());
        TestDatabase db = fx.database();
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", fx.kafka().bootstrapServers());
        pb.environment().put("BILLING_DB_URL", db.url());
        pb.environment().put("BILLING_DB_USER", db.user());
        pb.environment().put("BILLING_DB_PASSWORD", db.password());
        pb.environment().put("GATEWAY_PORT", String.valueOf(port));
        pb.environment().put("GATEWAY_INSTANCE_ID", "shutdown-it-" + port);
        return pb.start();
    }

    private static void awaitReady(int port, Process gateway) throws Exception {
        HttpTestClient client = new HttpTestClient(port);
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && gateway.isAlive()) {
            try {
                if (client.get("/health/ready", null).status() == 200) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("gateway process did not become ready: "
                + Files.readString(fx.workDir().resolve("gateway.log")));
    }
}
