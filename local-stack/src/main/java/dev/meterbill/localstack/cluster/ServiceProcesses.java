package dev.meterbill.localstack.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway and billing-api as their own JVMs running their production {@code main}, configured
 * only through the environment variables they read in production.
 */
final class ServiceProcesses {

    static final String GATEWAY_MAIN = "dev.meterbill.gateway.GatewayApp";
    static final String BILLING_API_MAIN = "dev.meterbill.billing.BillingApi";
    static final String RAZORPAY_KEY_ID = "RAZORPAY_KEY_ID";
    static final String RAZORPAY_ENABLED = "RAZORPAY_ENABLED";
    private static final List<String> JVM = List.of("-Xmx512m", "-XX:+UseG1GC");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceProcesses() {}

    static ManagedProcess startBillingApi(ClusterConfig c, String classpath, String adminToken, Duration timeout)
            throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(Map.of(
                "BILLING_DB_URL", c.dbUrl(), "BILLING_DB_USER", c.dbUser(), "BILLING_DB_PASSWORD", c.dbPassword(),
                "BILLING_API_PORT", Integer.toString(c.billingApiPort()), "BILLING_ADMIN_TOKEN", adminToken,
                "BILLING_ARCHIVE_PATH", c.archiveDir().toAbsolutePath().toString()));
        if (!System.getenv().containsKey(RAZORPAY_KEY_ID) && !System.getenv().containsKey(RAZORPAY_ENABLED)) {
            // RAZORPAY_* from the caller's environment pass through; without keys, run without payments
            env.put(RAZORPAY_ENABLED, "false");
        }
        ManagedProcess p = launch(c, "billing-api", List.of("-Xmx" + c.billingApiHeap(), "-XX:+UseG1GC"), classpath,
                BILLING_API_MAIN, env);
        awaitReady(p, "http://localhost:" + c.billingApiPort(), timeout);
        return p;
    }

    /** Gateway {@code n} (1-based) on the n-th configured port, with a transactional id of its own. */
    static ManagedProcess startGateway(ClusterConfig c, String classpath, int n, Duration timeout)
            throws IOException, InterruptedException {
        int port = c.gatewayPorts().get(n - 1);
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", c.kafkaBootstrap(), "GATEWAY_PORT", Integer.toString(port),
                "GATEWAY_INSTANCE_ID", "gateway-" + n,
                "BILLING_DB_URL", c.dbUrl(), "BILLING_DB_USER", c.dbUser(), "BILLING_DB_PASSWORD", c.dbPassword());
        ManagedProcess p = launch(c, "gateway-" + n, JVM, classpath, GATEWAY_MAIN, env);
        awaitReady(p, "http://localhost:" + port, timeout);
        return p;
    }

    private static ManagedProcess launch(ClusterConfig c, String name, List<String> jvm, String classpath, String main,
                                         Map<String, String> env) throws IOException {
        return ManagedProcess.launch(new ManagedProcess.Spec(name, jvm, classpath, main, List.of(), env),
                c.pidDir(), c.workDir().resolve("logs"));
    }

    /** Both services answer {@code GET /health/ready} with 200 once they can serve. */
    private static void awaitReady(ManagedProcess p, String baseUrl, Duration timeout) throws IOException, InterruptedException {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl + "/health/ready")).timeout(Duration.ofSeconds(5)).build();
        Poll.until(p.name() + " ready at " + baseUrl, timeout, () -> {
            if (!p.isAlive()) {
                throw new Poll.Fatal(p.name() + " exited; see " + p.log());
            }
            return HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        });
    }
}
