package dev.meterbill.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.events.BillingPeriod;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A realistic scenario played through the public APIs only: an organisation billed in IST, a
 * project, 10,000 usage events over two calendar months (with producer retries that reuse an
 * idempotency key), then a wait until the usage API shows exactly the expected totals.
 */
public final class DemoScenario {

    /** One expected row of the usage API: period and metric. */
    record Key(String period, String metric) implements Comparable<Key> {
        public int compareTo(Key o) {
            int c = period.compareTo(o.period);
            return c != 0 ? c : metric.compareTo(o.metric);
        }
    }

    /** What the demo expects for one row. */
    static final class Expected {
        long count;
        BigDecimal sum = BigDecimal.ZERO;
        String unit;
    }

    private static final String[][] METRICS = {{"api_calls", "count"}, {"storage_gb", "GB"}, {"compute_seconds", "s"}};

    /**
     * The LLM tokens of last month's last three days, fixed so that the invoice's lines can be checked by hand: per
     * model and region, how many events of how many tokens ({@code tokens} events, metered by the definition
     * {@value #TOKENS_DEFINITION} per model and region). The first event of each is sent twice.
     */
    static final Object[][] TOKENS = {
        {"large", "ap-south-1", 4, 50_000}, {"large", "eu-west-1", 2, 50_000},
        {"medium", "ap-south-1", 6, 250_000}, {"medium", "eu-west-1", 2, 250_000},
        {"small", "ap-south-1", 5, 1_000_000}, {"small", "eu-west-1", 3, 1_234_567}};
    public static final String TOKENS_DEFINITION = "llm_tokens";
    private static final ZoneId ZONE = ZoneId.of("Asia/Kolkata");

    private final ApiClient api = new ApiClient();
    private final PrintStream out;
    private final Clock clock;

    public DemoScenario(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** Plays the scenario; true when every total the usage API reports equals what was sent. */
    public boolean run(String billingApiUrl, String gatewayUrl, String adminToken, int events, Duration timeout)
            throws Exception {
        JsonNode org = api.post(billingApiUrl + "/api/v1/organisations", adminToken, Map.of(
                "name", "Acme Analytics Pvt Ltd", "billingEmail", "billing@acme.example", "currency", "INR",
                "timezone", ZONE.getId(), "gstin", "29ABCDE1234F1ZW", "stateCode", "29")).expect(201).body();
        String orgId = org.get("id").asText();
        String secretKey = org.get("secretKey").asText();
        JsonNode project = api.post(billingApiUrl + "/api/v1/organisations/" + orgId + "/projects", secretKey,
                Map.of("name", "public-api")).expect(201).body();
        String projectId = project.get("id").asText();
        String apiKey = project.get("apiKey").asText();
        out.printf("organisation %s (billing timezone %s), project %s%n", orgId, ZONE, projectId);
        defineTokens(billingApiUrl, adminToken);

        // Last month is backfilled first, in time order, as a producer replaying its log would; it
        // becomes final once its stream has been quiet for a moment (its end plus the grace passed
        // long ago). This month's events follow in any order and stay open.
        Map<Key, Expected> expected = new TreeMap<>();
        List<List<String>> months = generate(events, expected);
        String previous = YearMonth.from(clock.instant().atZone(ZONE)).minusMonths(1).toString();
        long started = System.nanoTime();
        send(gatewayUrl + "/api/v1/ingest", apiKey, months.get(0));
        Map<Key, JsonNode> reported = awaitTotals(billingApiUrl, secretKey, projectId, onlyPeriod(expected, previous), true, timeout);
        out.printf("backfilled %s: %d requests, totals exact and final after %s%n", previous, months.get(0).size(),
                seconds(System.nanoTime() - started));
        send(gatewayUrl + "/api/v1/ingest", apiKey, months.get(1));
        reported = awaitTotals(billingApiUrl, secretKey, projectId, expected, false, timeout);
        out.printf("sent %d requests (%d distinct events) in %s%n", months.get(0).size() + months.get(1).size(),
                events, seconds(System.nanoTime() - started));
        lastOrganisationId = orgId;
        lastSecretKey = secretKey;
        return report(expected, reported);
    }

    private String lastOrganisationId;
    private String lastSecretKey;

    /**
     * The metric definition of LLM tokens per model and region, effective from the first of the tokens events (a new
     * definition may start inside the backfill window). The job learns it from the compacted topic within a second or
     * two; the tokens events come last in the backfill, which is in time order.
     */
    private void defineTokens(String billingApiUrl, String adminToken) throws Exception {
        ApiClient.Response created = api.post(billingApiUrl + "/api/v1/metrics", adminToken, Map.of(
                "key", TOKENS_DEFINITION, "displayName", "LLM tokens", "unit", "tokens", "eventMetric", "tokens",
                "aggregation", "sum", "groupBy", List.of("model", "region"),
                "effectiveFrom", tokensFrom(clock.instant()).toString()));
        if (created.status() != 201 && created.status() != 409) {
            throw new IllegalStateException("metric definition refused: " + created.status() + " " + created.raw());
        }
        out.printf("metric definition %s: tokens per model and region%n", TOKENS_DEFINITION);
        Thread.sleep(3_000);
    }

    /** The start of last month's last three days in the demo's timezone: when the tokens events begin. */
    private static Instant tokensFrom(Instant now) {
        return YearMonth.from(now.atZone(ZONE)).atDay(1).minusDays(3).atStartOfDay(ZONE).toInstant();
    }

    /** The organisation the last run created, for the billing part of the demo. */
    public String organisationId() {
        return lastOrganisationId;
    }

    public String organisationSecretKey() {
        return lastSecretKey;
    }

    /** Last month in the demo organisation's timezone: the period the demo backfills and invoices. */
    public String previousPeriod() {
        return YearMonth.from(clock.instant().atZone(ZONE)).minusMonths(1).toString();
    }

    private static Map<Key, Expected> onlyPeriod(Map<Key, Expected> all, String period) {
        Map<Key, Expected> some = new TreeMap<>();
        all.forEach((k, v) -> {
            if (k.period().equals(period)) {
                some.put(k, v);
            }
        });
        return some;
    }

    /**
     * Builds the request bodies of last month (in time order) and this month (shuffled); about 2% are
     * retries of an earlier event with the same idempotency key.
     */
    private List<List<String>> generate(int events, Map<Key, Expected> expected) throws Exception {
        Random random = new Random(42);
        Instant now = clock.instant();
        YearMonth current = YearMonth.from(now.atZone(ZONE));
        Instant currentStart = current.atDay(1).atStartOfDay(ZONE).toInstant();
        Instant previousStart = current.minusMonths(1).atDay(1).atStartOfDay(ZONE).toInstant();
        // stay inside the gateway's 35-day backfill window
        Instant earliest = previousStart.isBefore(now.minus(Duration.ofDays(34))) ? now.minus(Duration.ofDays(34)) : previousStart;
        List<Map.Entry<Instant, String>> previousMonth = new ArrayList<>();
        List<String> currentMonth = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            boolean previous = i % 2 == 0;
            Instant from = previous ? earliest : currentStart;
            Instant to = previous ? currentStart : now;
            Instant ts = from.plusMillis(random.nextLong(Math.max(1, to.toEpochMilli() - from.toEpochMilli())));
            String[] metric = METRICS[random.nextInt(METRICS.length)];
            BigDecimal value = switch (metric[0]) {
                case "api_calls" -> BigDecimal.valueOf(1 + random.nextInt(5));
                case "storage_gb" -> BigDecimal.valueOf(random.nextInt(5_000_000), 3);
                default -> BigDecimal.valueOf(random.nextInt(1_000_000_000), 6);
            };
            String key = "demo-" + i + "-" + UUID.randomUUID();
            String body = ApiClient.JSON.writeValueAsString(Map.of(
                    "metricName", metric[0], "metricValue", value.toPlainString(), "unit", metric[1],
                    "timestamp", ts.toString(), "idempotencyKey", key, "metadata", Map.of("region", "ap-south-1")));
            int copies = random.nextInt(50) == 0 ? 2 : 1; // a producer retry: must be counted once
            for (int c = 0; c < copies; c++) {
                if (previous) {
                    previousMonth.add(Map.entry(ts, body));
                } else {
                    currentMonth.add(body);
                }
            }
            Expected e = expected.computeIfAbsent(new Key(BillingPeriod.containing(ts, ZONE).key(), metric[0]), k -> new Expected());
            e.count++;
            e.sum = e.sum.add(value);
            e.unit = metric[1];
        }
        generateTokens(now, previousMonth, expected);
        previousMonth.sort(Map.Entry.comparingByKey());
        java.util.Collections.shuffle(currentMonth, random);
        return List.of(previousMonth.stream().map(Map.Entry::getValue).toList(), currentMonth);
    }

    /** The fixed tokens events ({@link #TOKENS}) spread over last month's last three days, each first one twice. */
    private static void generateTokens(Instant now, List<Map.Entry<Instant, String>> previousMonth,
                                       Map<Key, Expected> expected) throws Exception {
        Instant from = tokensFrom(now);
        String period = YearMonth.from(now.atZone(ZONE)).minusMonths(1).toString();
        int n = 0;
        for (Object[] t : TOKENS) {
            for (int i = 0; i < (int) t[2]; i++) {
                Instant ts = from.plus(Duration.ofMinutes(37L * n++));
                String body = ApiClient.JSON.writeValueAsString(Map.of("metricName", "tokens",
                        "metricValue", String.valueOf(t[3]), "unit", "tokens", "timestamp", ts.toString(),
                        "idempotencyKey", "demo-tokens-" + t[0] + "-" + t[1] + "-" + i + "-" + UUID.randomUUID(),
                        "metadata", Map.of("model", t[0], "region", t[1], "user_id", "user-" + i)));
                for (int copy = 0; copy < (i == 0 ? 2 : 1); copy++) {
                    previousMonth.add(Map.entry(ts, body));
                }
                BigDecimal value = BigDecimal.valueOf((int) t[3]);
                for (String metric : List.of("tokens", TOKENS_DEFINITION + "{model=" + t[0] + ",region=" + t[1] + "}")) {
                    Expected e = expected.computeIfAbsent(new Key(period, metric), k -> new Expected());
                    e.count++;
                    e.sum = e.sum.add(value);
                    e.unit = "tokens";
                }
            }
        }
    }

    private void send(String url, String apiKey, List<String> bodies) throws Exception {
        Semaphore inFlight = new Semaphore(32);
        AtomicInteger failures = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (String body : bodies) {
            inFlight.acquire();
            all.add(api.postAsync(url, apiKey, body).whenComplete((r, t) -> {
                inFlight.release();
                if (t != null || r.status() != 202) {
                    if (failures.incrementAndGet() <= 3) {
                        out.println("ingest failed: " + (t != null ? t : r.status() + " " + r.raw()));
                    }
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(t -> null).join();
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " ingest requests were not accepted");
        }
    }

    private Map<Key, JsonNode> awaitTotals(String billingApiUrl, String secretKey, String projectId,
                                           Map<Key, Expected> expected, boolean requireFinal, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Key, JsonNode> reported = new TreeMap<>();
        while (true) {
            reported.clear();
            for (String period : expected.keySet().stream().map(Key::period).distinct().toList()) {
                JsonNode usage = api.get(billingApiUrl + "/api/v1/projects/" + projectId + "/usage?period=" + period,
                        secretKey).expect(200).body();
                for (JsonNode m : usage.get("metrics")) {
                    reported.put(new Key(period, m.get("metricName").asText()), m);
                }
            }
            boolean finalOk = !requireFinal || reported.values().stream().allMatch(m -> m.path("final").asBoolean());
            if ((matches(expected, reported) && finalOk) || System.nanoTime() > deadline) {
                return reported;
            }
            Thread.sleep(500);
        }
    }

    private static boolean matches(Map<Key, Expected> expected, Map<Key, JsonNode> reported) {
        if (!expected.keySet().equals(reported.keySet())) {
            return false;
        }
        return expected.entrySet().stream().allMatch(e -> rowMatches(e.getValue(), reported.get(e.getKey())));
    }

    private static boolean rowMatches(Expected e, JsonNode r) {
        return r != null && r.get("count").asLong() == e.count && r.get("sum").decimalValue().compareTo(e.sum) == 0;
    }

    private boolean report(Map<Key, Expected> expected, Map<Key, JsonNode> reported) {
        out.printf("%n%-8s %-44s %-6s %8s %8s %22s %22s %-5s  %s%n",
                "period", "metric", "unit", "sent", "counted", "expected sum", "reported sum", "final", "");
        boolean ok = true;
        for (Map.Entry<Key, Expected> e : expected.entrySet()) {
            JsonNode r = reported.get(e.getKey());
            boolean rowOk = rowMatches(e.getValue(), r);
            ok &= rowOk;
            out.printf("%-8s %-44s %-6s %8d %8s %22s %22s %-5s  %s%n", e.getKey().period(), e.getKey().metric(),
                    e.getValue().unit, e.getValue().count, r == null ? "-" : r.get("count").asText(),
                    e.getValue().sum.stripTrailingZeros().toPlainString(),
                    r == null ? "missing" : r.get("sum").decimalValue().toPlainString(),
                    r == null ? "-" : (r.path("final").asBoolean() ? "yes" : "no"), rowOk ? "OK" : "MISMATCH");
        }
        for (Key k : reported.keySet()) {
            if (!expected.containsKey(k)) {
                ok = false;
                out.printf("%-8s %-44s unexpected row reported: %s%n", k.period(), k.metric(), reported.get(k));
            }
        }
        out.println(ok ? "\nDEMO OK: every total equals what was sent." : "\nDEMO FAILED: totals differ (see MISMATCH rows).");
        return ok;
    }

    /** {@code nanos} as seconds with one decimal, e.g. {@code 12.3 s}, in whole numbers. */
    private static String seconds(long nanos) {
        long tenths = nanos / 100_000_000L;
        return tenths / 10 + "." + tenths % 10 + " s";
    }
}
