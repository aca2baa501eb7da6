package dev.meterbill.benchmarks.usage;

import dev.meterbill.billing.BillingApi;
import dev.meterbill.billing.BillingApiConfig;
import dev.meterbill.billing.invoice.BillingSettings;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.TestDatabase;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code ./billing bench usage-query}: how long {@code GET /api/v1/projects/{id}/usage} takes to answer a month of
 * hourly rows for one project, against the ceiling of {@value #CEILING_MS} ms (issue 17). billing-api runs in this JVM
 * on a database of its own; usage_hourly holds, for the measured project and for {@code --projects} (20) others of
 * the same organisation, a month of hours (720) of {@code --metrics} (60) metric names: 20 plain metrics and 40 groups
 * of a metric definition {@code llm_tokens{model,region}}, and usage_daily their days. Each query is asked
 * {@code --runs} (200) times after 20 unmeasured runs, one at a time, through HTTP; prints p50, p99 and max per query
 * and the ratio of each p99 to the ceiling; exits 1 when one is over it.
 */
public final class UsageQueryBenchmark {

    static final double CEILING_MS = 100;
    static final String ADMIN = "bench-admin-token";

    private UsageQueryBenchmark() {}

    public static void main(String[] args) throws Exception {
        int projects = option(args, "--projects", 20);
        int metrics = option(args, "--metrics", 60);
        int runs = option(args, "--runs", 200);
        try (TestDatabase db = TestDatabase.createEmpty();
             BillingApi api = BillingApi.create(new BillingApiConfig(db.url(), db.user(), db.password(), 0, ADMIN,
                     BillingSettings.defaults().withoutScheduledRuns())).start(0)) {
            HttpTestClient client = new HttpTestClient(api.port());
            var org = client.postJson("/api/v1/organisations", ADMIN,
                    "{\"name\":\"Usage bench\",\"billingEmail\":\"ops@example.com\",\"timezone\":\"Asia/Kolkata\"}").json();
            String orgId = org.get("id").asText();
            String key = org.get("secretKey").asText();
            String project = client.postJson("/api/v1/organisations/" + orgId + "/projects", ADMIN,
                    "{\"name\":\"measured\"}").json().get("id").asText();
            long seeding = System.nanoTime();
            // November 2026 in Asia/Kolkata: 31 Oct 18:30Z to 30 Nov 18:30Z, 720 hours
            db.update("""
                    INSERT INTO usage_hourly (project_id, organisation_id, metric_name, hour, timezone, unit, sum_value,
                           event_count, min_value, max_value, latest_value, latest_at, is_final)
                    SELECT p.id, ?::uuid, m.name, h, 'Asia/Kolkata', 'count', (extract(epoch FROM h)::bigint % 997) + m.n,
                           1 + m.n, 1, 1000, 1, h + interval '59 minutes', true
                      FROM (SELECT ?::uuid AS id UNION ALL SELECT gen_random_uuid() FROM generate_series(1, ?)) p,
                           (SELECT n, CASE WHEN n <= ? / 3 THEN 'metric_' || n
                                           ELSE 'llm_tokens{model=m' || (n % 8) || ',region=r' || (n / 8) || '}' END AS name
                              FROM generate_series(1, ?) n) m,
                           generate_series(timestamptz '2026-10-31T18:30:00Z', timestamptz '2026-11-30T17:30:00Z',
                                           interval '1 hour') h
                    """, orgId, project, projects, metrics, metrics);
            // the job keeps each day's totals beside its hours' (the usage API reads whole days from them)
            db.update("""
                    INSERT INTO usage_daily (project_id, organisation_id, metric_name, day, timezone, unit, sum_value,
                           event_count, min_value, max_value, latest_value, latest_at, is_final)
                    SELECT project_id, organisation_id, metric_name, (hour AT TIME ZONE timezone)::date, timezone, unit,
                           sum(sum_value), sum(event_count), min(min_value), max(max_value),
                           (array_agg(latest_value ORDER BY latest_at DESC))[1], max(latest_at), bool_and(is_final)
                      FROM usage_hourly GROUP BY project_id, organisation_id, metric_name, 4, timezone, unit
                    """);
            db.update("VACUUM ANALYZE usage_hourly"); // what autovacuum does to rows that stopped changing
            db.update("VACUUM ANALYZE usage_daily");
            // the seeding's write-ahead log (about 1 GB) is checkpointed now rather than by a checkpoint that PostgreSQL
            // would start during the first query's runs (in production those rows were written over a month)
            db.update("CHECKPOINT");
            long rows = db.queryValue(Long.class, "SELECT count(*) FROM usage_hourly");
            System.out.printf(Locale.ROOT, "usage_hourly: %,d rows (%d projects x %d metric names x 720 hours), usage_daily:"
                    + " %,d, in %.1f s%n", rows, projects + 1, metrics, db.queryValue(Long.class, "SELECT count(*) FROM usage_daily"),
                    (System.nanoTime() - seeding) / 1e9);
            String month = "from=2026-11-01T00:00:00%2B05:30&to=2026-12-01T00:00:00%2B05:30";
            String[][] queries = {
                {"a month, every metric, per hour", "/api/v1/projects/" + project + "/usage?granularity=hour&" + month},
                {"a month, one definition, per hour", "/api/v1/projects/" + project + "/usage?granularity=hour&metric=llm_tokens&"
                        + month},
                {"a month, by model, one region, per hour", "/api/v1/projects/" + project
                        + "/usage?granularity=hour&metric=llm_tokens&groupBy=model&filter=region:r2&" + month},
                {"a month, every metric, per day", "/api/v1/projects/" + project + "/usage?granularity=day&" + month},
                {"organisation, one definition, per day", "/api/v1/organisations/" + orgId
                        + "/usage?granularity=day&metric=llm_tokens&" + month},
            };
            System.out.printf(Locale.ROOT, "%n%-42s %8s %8s %8s %8s %9s %7s%n", "query (" + runs + " runs each)", "points",
                    "p50 ms", "p99 ms", "max ms", "bytes", "ratio");
            boolean over = false;
            for (String[] q : queries) {
                var first = client.get(q[1], key);
                if (first.status() != 200) {
                    throw new IllegalStateException(q[1] + " answered " + first.status() + ": " + first.body());
                }
                int points = 0;
                for (var s : first.json().get("series")) {
                    points += s.get("points").size();
                }
                for (int i = 0; i < 20; i++) {
                    client.get(q[1], key);
                }
                double[] ms = new double[runs];
                for (int i = 0; i < runs; i++) {
                    long started = System.nanoTime();
                    client.get(q[1], key);
                    ms[i] = (System.nanoTime() - started) / 1e6;
                }
                Arrays.sort(ms);
                double p99 = ms[(int) Math.ceil(runs * 0.99) - 1];
                over |= p99 > CEILING_MS;
                System.out.printf(Locale.ROOT, "%-42s %8d %8.1f %8.1f %8.1f %9d %6.3fx%n", q[0], points, ms[runs / 2], p99,
                        ms[runs - 1], first.body().length(), p99 / CEILING_MS);
            }
            System.out.printf(Locale.ROOT, "ceiling: p99 %.0f ms per query%n", CEILING_MS);
            if (over) {
                System.out.println("OVER THE CEILING");
                System.exit(1);
            }
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
}
