package dev.meterbill.benchmarks.hostile;

import com.sun.management.OperatingSystemMXBean;
import dev.meterbill.billing.BillingApi;
import dev.meterbill.billing.BillingApiConfig;
import dev.meterbill.billing.invoice.BillingSettings;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.TestDatabase;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./billing bench hostile}: the CPU one small hostile request costs the billing API before
 * it is refused, against the ceiling of 50 ms. The request is issue 11's: a 151-byte pricing plan
 * whose minimum commitment is {@code 1e-20000000}, a number whose rescaling once cost 7-8 s of CPU.
 *
 * <p>CPU is the whole process's (server, client, garbage collector) over {@value #REQUESTS}
 * sequential requests after {@value #WARM_UP} of warm-up, divided by the requests: an
 * overestimate of the server's share, so a figure under the ceiling is conservative. Exits 1 when a
 * figure is over the ceiling or an answer is not the expected refusal. Arguments (optional):
 * {@code --requests N --warm-up N}.
 */
public final class HostileInputBenchmark {

    static final double CEILING_MS = 50;
    static final int WARM_UP = 50;
    static final int REQUESTS = 200;
    static final String ADMIN = "bench-admin-token";
    static final String PLAN = "{\"name\":\"hostile\",\"currency\":\"INR\",\"minimumCommitment\":1e-20000000,"
            + "\"charges\":[{\"metricName\":\"api_calls\",\"aggregation\":\"sum\",\"model\":\"per_unit\",\"unitPrice\":1}]}";

    private HostileInputBenchmark() {}

    record Case(String name, String method, String path, String token, String body, int expectedStatus) {}

    public static void main(String[] args) throws Exception {
        int requests = option(args, "--requests", REQUESTS);
        int warmUp = option(args, "--warm-up", WARM_UP);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (TestDatabase db = TestDatabase.createEmpty();
             BillingApi api = BillingApi.create(new BillingApiConfig(db.url(), db.user(), db.password(), 0, ADMIN,
                     BillingSettings.defaults().withoutScheduledRuns())).start(0)) {
            HttpTestClient client = new HttpTestClient(api.port());
            HttpTestClient.Response org = client.postJson("/api/v1/organisations", ADMIN,
                    "{\"name\":\"Hostile bench\",\"billingEmail\":\"ops@example.com\"}");
            String secretKey = org.json().get("secretKey").asText();
            List<Case> cases = List.of(
                    new Case("floor: GET /health/live", "GET", "/health/live", null, null, 200),
                    new Case("plan with minimumCommitment 1e-20000000, organisation key", "POST",
                            "/api/v1/pricing-plans", secretKey, PLAN, 403),
                    new Case("plan with minimumCommitment 1e-20000000, operator", "POST",
                            "/api/v1/pricing-plans", ADMIN, PLAN, 400),
                    new Case("plan with unitPrice 1e-20000000, operator", "POST", "/api/v1/pricing-plans", ADMIN,
                            PLAN.replace("1e-20000000", "0").replace("\"unitPrice\":1", "\"unitPrice\":1e-20000000"), 400));
            System.out.printf("%d bytes: %s%n%n", PLAN.length(), PLAN);
            System.out.printf("%-60s %8s %12s %12s %8s%n", "request", "status", "CPU ms/req", "wall ms/req", "ratio");
            List<String> failures = new ArrayList<>();
            for (Case c : cases) {
                for (int i = 0; i < warmUp; i++) {
                    send(client, c);
                }
                long cpu = os.getProcessCpuTime();
                long wall = System.nanoTime();
                int status = 0;
                for (int i = 0; i < requests; i++) {
                    status = send(client, c).status();
                    if (status != c.expectedStatus()) {
                        failures.add(c.name() + " answered " + status + ", expected " + c.expectedStatus());
                        break;
                    }
                }
                double cpuMs = (os.getProcessCpuTime() - cpu) / 1e6 / requests;
                double wallMs = (System.nanoTime() - wall) / 1e6 / requests;
                System.out.printf(Locale.ROOT, "%-60s %8d %12.2f %12.2f %7.3fx%n", c.name(), status, cpuMs, wallMs,
                        cpuMs / CEILING_MS);
                if (cpuMs > CEILING_MS) {
                    failures.add(c.name() + " costs " + cpuMs + " ms of CPU, over the ceiling of " + CEILING_MS);
                }
            }
            System.out.printf("%nceiling: %.0f ms of CPU per refused request (ratio = CPU / ceiling; under 1 meets it)%n",
                    CEILING_MS);
            if (!failures.isEmpty()) {
                failures.forEach(f -> System.out.println("FAILED: " + f));
                System.exit(1);
            }
            System.out.println("HOSTILE OK");
        }
    }

    private static int option(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    private static HttpTestClient.Response send(HttpTestClient client, Case c) {
        return c.body() == null ? client.get(c.path(), c.token()) : client.postJson(c.path(), c.token(), c.body());
    }
}
