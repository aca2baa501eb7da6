package dev.meterbill.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The customer-lifecycle part of the demo, through the public APIs: a second organisation with two
 * projects priced per organisation churns at the end of the period, gets a credit note for a service
 * issue, pays net of 10% TDS on the Razorpay emulator, and its statement shows everything settled.
 */
public final class DemoLifecycle {

    private static final ZoneId ZONE = ZoneId.of("Asia/Kolkata");
    /** Sent to each project in the last month: 10,000 calls in all. */
    private static final Map<String, Integer> CALLS = Map.of("production", 7_000, "staging", 3_000);

    private final ApiClient api = new ApiClient();
    private final PrintStream out;
    private final Clock clock;

    public DemoLifecycle(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    private String orgId;
    private String secretKey;

    /**
     * Creates the organisation and sends its usage of the last month (an hour before the month ended, through
     * the gateway). Called before the usage part of the demo, whose backfill then carries the last month to
     * final with these events in it.
     */
    public void sendUsage(String billingApiUrl, String gatewayUrl, String adminToken) throws Exception {
        YearMonth current = YearMonth.from(clock.instant().atZone(ZONE));
        JsonNode org = api.post(billingApiUrl + "/api/v1/organisations", adminToken, Map.of(
                "name", "Globex Retail Pvt Ltd", "billingEmail", "accounts@globex.example", "timezone", ZONE.getId(),
                "gstin", "27ABCDE1234F1Z0", "address", Map.of("line1", "1 Nariman Point", "city", "Mumbai",
                        "postalCode", "400021"))).expect(201).body();
        orgId = org.get("id").asText();
        secretKey = org.get("secretKey").asText();
        Instant lastHour = current.atDay(1).atStartOfDay(ZONE).toInstant().minus(Duration.ofHours(1));
        for (Map.Entry<String, Integer> project : CALLS.entrySet()) {
            JsonNode created = api.post(billingApiUrl + "/api/v1/organisations/" + orgId + "/projects", secretKey,
                    Map.of("name", project.getKey())).expect(201).body();
            api.post(gatewayUrl + "/api/v1/ingest", created.get("apiKey").asText(), Map.of("metricName", "api_calls",
                    "metricValue", project.getValue(), "unit", "count", "timestamp", lastHour.toString(),
                    "idempotencyKey", "lifecycle-" + UUID.randomUUID())).expect(202);
        }
    }

    /** True when the statement adds up: the invoice paid by payment, TDS and credit note, nothing left over. */
    public boolean run(String billingApiUrl, String adminToken, String razorpayUrl, Duration timeout) throws Exception {
        YearMonth current = YearMonth.from(clock.instant().atZone(ZONE));
        String period = current.minusMonths(1).toString();
        out.printf("%n--- customer lifecycle: Globex Retail Pvt Ltd (Maharashtra, GSTIN 27ABCDE1234F1Z0),"
                + " projects production and staging ---%n");
        awaitCalls(billingApiUrl, secretKey, orgId, period, 10_000, timeout);

        // a plan priced per organisation: 5,000 free calls for the whole organisation, not per project
        JsonNode plan = api.post(billingApiUrl + "/api/v1/pricing-plans", adminToken, Map.of(
                "name", "Retail " + orgId.substring(0, 8), "currency", "INR", "pricingScope", "organisation",
                "charges", List.of(
                        Map.of("metricName", "api_calls", "aggregation", "sum", "model", "graduated", "tiers", List.of(
                                Map.of("upTo", 5000, "unitPrice", 0), Map.of("unitPrice", new BigDecimal("0.10")))),
                        Map.of("metricName", "platform", "aggregation", "sum", "model", "flat", "flatFee", 1999))))
                .expect(201).body();
        api.put(billingApiUrl + "/api/v1/organisations/" + orgId + "/subscription", adminToken,
                Map.of("pricingPlanId", plan.get("id").asText(), "startsOn", period + "-01")).expect(200);
        JsonNode ended = api.delete(billingApiUrl + "/api/v1/organisations/" + orgId + "/subscription?at=period_end",
                adminToken).expect(200).body();
        out.printf("churns at the end of the running period: subscription ends on %s, nothing is billed after it%n",
                ended.get("endsOn").asText());

        JsonNode generated = api.post(billingApiUrl + "/api/v1/invoices/generate", adminToken,
                Map.of("period", period, "organisationId", orgId)).expect(200).body();
        String invoiceId = generated.get("invoiceIds").get(0).asText();
        JsonNode issued = api.post(billingApiUrl + "/api/v1/invoices/" + invoiceId + "/issue", adminToken, Map.of())
                .expect(200).body();
        out.printf("invoice %s issued: subtotal %s, IGST %s, total %s%n", issued.get("invoiceNumber").asText(),
                issued.get("subtotal").decimalValue().toPlainString(),
                issued.get("tax").get("igst").decimalValue().toPlainString(), issued.get("total").decimalValue().toPlainString());

        for (JsonNode line : api.get(billingApiUrl + "/api/v1/invoices/" + invoiceId, adminToken).expect(200).body()
                .withArray("lines")) {
            out.printf("  %-70s %10s%n", line.get("description").asText(), plain(line, "amount"));
            for (JsonNode share : line.withArray("breakdown")) {
                out.printf("    %-20s %10s%n", share.get("projectName").asText(), plain(share, "quantity"));
            }
        }
        JsonNode note = api.post(billingApiUrl + "/api/v1/invoices/" + invoiceId + "/credit-notes", adminToken, Map.of(
                "reason", "service_issue", "memo", "Dashboard outage on the 12th",
                "lines", List.of(Map.of("line", 2, "amount", 499)))).expect(201).body();
        out.printf("credit note %s for a service issue: %s + IGST %s = %s%n", note.get("creditNoteNumber").asText(),
                note.get("subtotal").decimalValue().toPlainString(), note.get("igst").decimalValue().toPlainString(),
                note.get("total").decimalValue().toPlainString());

        JsonNode tds = api.post(billingApiUrl + "/api/v1/invoices/" + invoiceId + "/tds", adminToken, Map.of(
                "section", "194J", "ratePercent", 10, "certificateRef", "16A-" + period)).expect(201).body();
        JsonNode afterTds = api.get(billingApiUrl + "/api/v1/invoices/" + invoiceId, adminToken).expect(200).body();
        out.printf("TDS 194J at 10%% of the taxable value: %s deducted by the customer; %s due%n",
                tds.get("tds").get(0).get("amount").decimalValue().toPlainString(),
                afterTds.get("balanceDue").decimalValue().toPlainString());
        api.post(razorpayUrl + "/_emulator/orders/" + issued.get("razorpayOrderId").asText() + "/pay", null,
                Map.of("outcome", "captured", "amount", afterTds.get("balanceDueMinor").asLong())).expect(200);
        awaitStatus(billingApiUrl, adminToken, invoiceId, "paid", timeout);

        JsonNode statement = api.get(billingApiUrl + "/api/v1/organisations/" + orgId + "/statement", secretKey)
                .expect(200).body();
        return print(statement, ended.get("endsOn").asText(), current.plusMonths(1).atDay(1).toString());
    }

    private void awaitCalls(String billingApiUrl, String secretKey, String orgId, String period, long expected,
                            Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode usage = api.get(billingApiUrl + "/api/v1/organisations/" + orgId + "/usage?period=" + period,
                    secretKey).expect(200).body();
            BigDecimal calls = BigDecimal.ZERO;
            for (JsonNode project : usage.withArray("projects")) {
                for (JsonNode metric : project.withArray("metrics")) {
                    calls = calls.add(metric.get("sum").decimalValue());
                }
            }
            if (calls.compareTo(BigDecimal.valueOf(expected)) == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("usage of " + period + " shows " + calls + " calls, not " + expected);
            }
            Thread.sleep(250);
        }
    }

    private void awaitStatus(String billingApiUrl, String adminToken, String invoiceId, String status, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!status.equals(api.get(billingApiUrl + "/api/v1/invoices/" + invoiceId, adminToken).expect(200).body()
                .get("status").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
    }

    private boolean print(JsonNode s, String endsOn, String nextPeriodStart) {
        out.printf("%nStatement of %s (%s)%n", s.get("name").asText(), s.get("currency").asText());
        out.printf("%-16s %-8s %-15s %10s %10s %9s %10s %9s%n", "invoice", "period", "status", "total", "paid", "TDS",
                "credited", "due");
        boolean settled = true;
        for (JsonNode i : s.withArray("invoices")) {
            out.printf("%-16s %-8s %-15s %10s %10s %9s %10s %9s%n", i.get("invoiceNumber").asText(),
                    i.get("period").asText(), i.get("status").asText(), plain(i, "total"), plain(i, "amountPaid"),
                    plain(i, "tdsTotal"), plain(i, "creditedTotal"), plain(i, "balanceDue"));
            settled &= "paid".equals(i.get("status").asText()) && i.get("total").decimalValue().compareTo(
                    i.get("amountPaid").decimalValue().add(i.get("tdsTotal").decimalValue())
                            .add(i.get("creditedTotal").decimalValue())) == 0;
        }
        for (JsonNode n : s.withArray("creditNotes")) {
            out.printf("credit note %s  %-14s %10s%n", n.get("creditNoteNumber").asText(), n.get("reason").asText(),
                    plain(n, "total"));
        }
        for (JsonNode p : s.withArray("payments")) {
            out.printf("payment %s  %s  %10s%n", p.get("razorpayPaymentId").asText(), p.get("method").asText(),
                    plain(p, "amount"));
        }
        for (JsonNode t : s.withArray("tds")) {
            out.printf("TDS %s  certificate %s  %10s%n", t.get("section").asText(), t.get("certificateRef").asText(),
                    plain(t, "amount"));
        }
        out.printf("invoiced %s, paid %s, TDS %s, credited %s: balance due %s, customer credit %s%n",
                plain(s, "invoicedTotal"), plain(s, "paidTotal"), plain(s, "tdsTotal"), plain(s, "creditedTotal"),
                plain(s, "balanceDue"), plain(s, "customerCredit"));
        boolean ok = settled && s.withArray("invoices").size() == 1 && s.withArray("creditNotes").size() == 1
                && s.get("balanceDue").decimalValue().signum() == 0 && s.get("customerCreditMinor").asLong() == 0
                && endsOn.equals(nextPeriodStart);
        out.println(ok ? "\nLIFECYCLE OK: churned at period end, credited, paid net of TDS, nothing left due."
                : "\nLIFECYCLE FAILED: the statement does not add up.");
        return ok;
    }

    private static String plain(JsonNode node, String field) {
        return node.get(field).decimalValue().toPlainString();
    }
}
