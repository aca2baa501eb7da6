package dev.meterbill.benchmarks.entitlements;

import dev.meterbill.billing.BillingApi;
import dev.meterbill.billing.BillingApiConfig;
import dev.meterbill.billing.invoice.BillingSettings;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.TestDatabase;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./billing bench entitlements}: the latency of {@code GET /api/v1/entitlements} as our users' APIs call it,
 * once per request of theirs, at {@value #RATE} requests per second, against the ceiling of p99 {@value #CEILING_MS}
 * ms. billing-api runs in this JVM on a database of its own, with an organisation whose plan limits api_calls and
 * whose usage is in the running period; the load comes from {@link OpenLoopLoad}, a process of its own that sends
 * at a fixed rate on keep-alive connections (half with each of two project keys) and counts each latency from the
 * moment the request was due, after a warm-up at the same rate; {@code GET /health/live} at the same rate is the
 * floor. Prints the percentiles and the ratio of p99 to the ceiling; exits 1 over the ceiling, short of 95 % of the
 * rate, or on an error. Arguments (optional): {@code --rate N --seconds N --warm-up-seconds N}.
 */
public final class EntitlementBenchmark {

    static final int RATE = 2000;
    static final double CEILING_MS = 5;
    static final String ADMIN = "bench-admin-token";

    private EntitlementBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rate = option(args, "--rate", RATE);
        int seconds = option(args, "--seconds", 30);
        int warmUp = option(args, "--warm-up-seconds", 10);
        try (TestDatabase db = TestDatabase.createEmpty();
             BillingApi api = BillingApi.create(new BillingApiConfig(db.url(), db.user(), db.password(), 0, ADMIN,
                     BillingSettings.defaults().withoutScheduledRuns())).start(0)) {
            HttpTestClient client = new HttpTestClient(api.port());
            String org = client.postJson("/api/v1/organisations", ADMIN,
                    "{\"name\":\"Entitled bench\",\"billingEmail\":\"ops@example.com\",\"timezone\":\"Asia/Kolkata\"}")
                    .json().get("id").asText();
            String plan = client.postJson("/api/v1/pricing-plans", ADMIN, "{\"name\":\"Entitled\",\"currency\":\"INR\","
                    + "\"charges\":[{\"metricName\":\"api_calls\",\"aggregation\":\"sum\",\"model\":\"per_unit\","
                    + "\"unitPrice\":0.01,\"limit\":1000000,\"limitKind\":\"hard\"}]}").json().get("id").asText();
            client.putJson("/api/v1/organisations/" + org + "/subscription", ADMIN,
                    "{\"pricingPlanId\":\"" + plan + "\",\"startsOn\":\"2026-01-01\"}");
            String[] keys = new String[2];
            String period = YearMonth.now(ZoneId.of("Asia/Kolkata")).toString();
            for (int i = 0; i < keys.length; i++) {
                var project = client.postJson("/api/v1/organisations/" + org + "/projects", ADMIN,
                        "{\"name\":\"p" + i + "\"}").json();
                keys[i] = project.get("apiKey").asText();
                db.update("""
                        INSERT INTO usage_aggregates (project_id, organisation_id, metric_name, period, timezone, unit,
                               sum_value, event_count, min_value, max_value, latest_value, latest_at, is_final)
                        VALUES (?::uuid, ?::uuid, 'api_calls', ?, 'Asia/Kolkata', 'count', 400000, 400000, 1, 1, 1, now(), false)
                        """, project.get("id").asText(), org, period);
            }
            String path = "/api/v1/entitlements?metric=api_calls";
            System.out.printf("billing-api on port %d answers: %s%n", api.port(), client.get(path, keys[0]).body());
            // warm-up at the same rate, then the measured run; two key holders, as two of our user's services
            Result floor = load("/health/live", api.port(), keys, rate, warmUp, seconds);
            Result measured = load(path, api.port(), keys, rate, warmUp, seconds);
            System.out.printf(Locale.ROOT, "%n%-40s %7s %7s %7s %7s %8s %8s %6s %7s%n", "at " + rate + " requests/s for "
                    + seconds + " s", "req/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "errors", "ratio");
            print("floor: GET /health/live (no work)", floor);
            print("GET /api/v1/entitlements", measured);
            System.out.printf(Locale.ROOT, "p99 / ceiling (%.0f ms): %.3fx%n", CEILING_MS, measured.p99() / CEILING_MS);
            if (measured.p99() > CEILING_MS || measured.errors() > 0 || measured.rate() < rate * 0.95) {
                System.out.println("OVER THE CEILING, short of the rate, or with errors");
                System.exit(1);
            }
        }
    }

    /** What the load generator measured, in milliseconds from the moment each request was due. */
    record Result(double rate, double p50, double p90, double p99, double p999, double max, long errors) {}

    private static void print(String name, Result r) {
        System.out.printf(Locale.ROOT, "%-40s %7.0f %7.2f %7.2f %7.2f %8.2f %8.2f %6d %6.3fx%n", name, r.rate(), r.p50(),
                r.p90(), r.p99(), r.p999(), r.max(), r.errors(), r.p99() / CEILING_MS);
    }

    /**
     * Runs {@link OpenLoopLoad} as a process of its own (so the server's collections do not pause the clock that
     * measures them), with {@code -Dbench.connections} keep-alive connections (32) alternating the keys.
     */
    static Result load(String path, int port, String[] keys, int rate, int warmUp, int seconds) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                OpenLoopLoad.class.getName(), "127.0.0.1", String.valueOf(port), path, String.valueOf(rate),
                String.valueOf(warmUp), String.valueOf(seconds), String.valueOf(Integer.getInteger("bench.connections", 32))));
        command.addAll(List.of(keys));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JAVA_TOOL_OPTIONS"); // options meant for the server (GC logs, recordings)
        Process run = builder.start();
        String out = new String(run.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (run.waitFor() != 0) {
            throw new IllegalStateException("the load generator failed:\n" + out);
        }
        return new Result(number(out, "rate=([0-9.]+)"), number(out, "p50=([0-9.]+)"), number(out, "p90=([0-9.]+)"),
                number(out, "p99=([0-9.]+)"), number(out, "p999=([0-9.]+)"), number(out, "max=([0-9.]+)"),
                (long) number(out, "errors=([0-9]+)"));
    }

    private static double number(String text, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("the load generator printed no " + regex + ":\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }

    private static int option(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
