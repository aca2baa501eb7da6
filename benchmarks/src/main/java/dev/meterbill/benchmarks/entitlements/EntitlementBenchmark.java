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
 * whose usage is in the running period; the load comes from {@code hey} (40 workers, each held to rate/40 a second,
 * half of them with each of two project keys), after a warm-up at the same rate; {@code GET /health/live} at the
 * same rate is the floor. hey's workers wait for each answer, so a stall lowers the rate, which is checked too.
 * Prints the percentiles and the ratio of p99 to the ceiling; exits 1 over the ceiling, short of 95 % of the rate,
 * or on an error. Arguments (optional): {@code --rate N --seconds N --warm-up-seconds N}.
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
            String url = "http://127.0.0.1:" + api.port() + "/api/v1/entitlements?metric=api_calls";
            System.out.printf("answer: %s%n", client.get("/api/v1/entitlements?metric=api_calls", keys[0]).body());
            // warm-up at the same rate, then the measured run; two key holders, as two of our user's services
            hey(url, keys, rate, warmUp);
            Result floor = hey("http://127.0.0.1:" + api.port() + "/health/live", keys, rate, seconds);
            Result measured = hey(url, keys, rate, seconds);
            System.out.printf(Locale.ROOT, "%n%-44s %9s %8s %8s %8s %8s %8s%n", "at " + rate + " requests/s for " + seconds
                    + " s", "req/s", "p50 ms", "p90 ms", "p99 ms", "errors", "ratio");
            print("floor: GET /health/live (no work)", floor);
            print("GET /api/v1/entitlements", measured);
            System.out.printf(Locale.ROOT, "p99 / ceiling (%.0f ms): %.3fx%n", CEILING_MS, measured.p99() / CEILING_MS);
            if (measured.p99() > CEILING_MS || measured.errors() > 0 || measured.rate() < rate * 0.95) {
                System.out.println("OVER THE CEILING, short of the rate, or with errors");
                System.exit(1);
            }
        }
    }

    /** What hey measured. */
    record Result(double rate, double p50, double p90, double p99, long errors) {}

    private static void print(String name, Result r) {
        System.out.printf(Locale.ROOT, "%-44s %9.0f %8.2f %8.2f %8.2f %8d %7.3fx%n", name, r.rate(), r.p50(), r.p90(),
                r.p99(), r.errors(), r.p99() / CEILING_MS);
    }

    /**
     * Runs hey (Debian's {@code hey}, installed by ./billing when missing) with 40 workers of rate/40 requests a
     * second each, alternating the two keys between halves of the workers.
     */
    static Result hey(String url, String[] keys, int rate, int seconds) throws Exception {
        int workers = Integer.getInteger("bench.workers", 40);
        List<Process> runs = new ArrayList<>();
        for (String key : keys) {
            runs.add(new ProcessBuilder("hey", "-z", seconds + "s", "-c", String.valueOf(workers / keys.length), "-q",
                    String.valueOf(rate / workers), "-H", "Authorization: Bearer " + key, url)
                    .redirectErrorStream(true).start());
        }
        double total = 0;
        List<Double> p50 = new ArrayList<>();
        List<Double> p90 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        long errors = 0;
        for (Process run : runs) {
            String out = new String(run.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            run.waitFor();
            total += number(out, "Requests/sec:\\s+([0-9.]+)");
            p50.add(number(out, "50%+ in ([0-9.]+) secs") * 1000);
            p90.add(number(out, "90%+ in ([0-9.]+) secs") * 1000);
            p99.add(number(out, "99%+ in ([0-9.]+) secs") * 1000);
            java.util.regex.Matcher statuses = java.util.regex.Pattern.compile("\\[(\\d{3})\\]\\s+(\\d+) responses").matcher(out);
            while (statuses.find()) {
                if (!statuses.group(1).equals("200")) {
                    errors += Long.parseLong(statuses.group(2));
                }
            }
            if (out.contains("Error distribution")) {
                errors += 1;
            }
        }
        return new Result(total, max(p50), max(p90), max(p99), errors);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static double number(String text, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("hey printed no " + regex + ":\n" + text);
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
