package dev.meterbill.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.gateway.testutils.GatewayFixture;
import dev.meterbill.gateway.testutils.IngestLoad;
import java.net.ServerSocket;
import java.util.Map;
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
        Process gateway = fx.startGatewayProcess(port, "shutdown-it-" + port, Map.of());
        try {
            String url = "http://localhost:" + port;
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
}
