package dev.meterbill.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The money half of the demo, through the public APIs: a pricing plan, a subscription, the invoice
 * of the final month generated and issued (a Razorpay order), the customer paying it on the
 * Razorpay emulator, the signed webhook marking it paid. Prints the invoice with its GST breakdown.
 */
public final class DemoBilling {

    private final ApiClient api = new ApiClient();
    private String lastInvoiceNumber;
    private String lastInvoiceId;

    /** The id of the invoice the last run issued and paid. */
    public String invoiceId() {
        return lastInvoiceId;
    }

    /** The number of the invoice the last run issued and paid. */
    public String invoiceNumber() {
        return lastInvoiceNumber;
    }
    private final PrintStream out;

    public DemoBilling(PrintStream out) {
        this.out = out;
    }

    /** True when the invoice adds up and ends paid with a captured payment of its exact total. */
    public boolean run(String billingApiUrl, String adminToken, String razorpayUrl, String organisationId,
                       String period, Duration timeout) throws Exception {
        JsonNode plan = api.post(billingApiUrl + "/api/v1/pricing-plans", adminToken, Map.of(
                "name", "Growth " + organisationId.substring(0, 8), "currency", "INR", "minimumCommitment", 2000,
                "charges", List.of(
                        Map.of("metricName", "api_calls", "aggregation", "sum", "model", "per_unit",
                                "unitPrice", new BigDecimal("0.05"), "freeUnits", 1000),
                        Map.of("metricName", "storage_gb", "aggregation", "max", "model", "volume", "tiers", List.of(
                                Map.of("upTo", 1000, "unitPrice", new BigDecimal("2.00")),
                                Map.of("unitPrice", new BigDecimal("1.50")))),
                        Map.of("metricName", "compute_seconds", "aggregation", "sum", "model", "package",
                                "packageSize", 3600, "unitPrice", new BigDecimal("1.20")),
                        Map.of("metricName", "platform", "aggregation", "sum", "model", "flat", "flatFee", 999),
                        // LLM tokens priced per model: large and medium have prices of their own, small the charge's
                        Map.of("metricDefinition", DemoScenario.TOKENS_DEFINITION, "model", "per_unit",
                                "unitPrice", new BigDecimal("0.000002"), "dimensionPrices", List.of(
                                        Map.of("dimensions", Map.of("model", "large"), "model", "per_unit",
                                                "unitPrice", new BigDecimal("0.00003")),
                                        Map.of("dimensions", Map.of("model", "medium"), "model", "graduated",
                                                "tiers", List.of(
                                                        Map.of("upTo", 1_000_000, "unitPrice", new BigDecimal("0.00001")),
                                                        Map.of("unitPrice", new BigDecimal("0.000008")))))))))
                .expect(201).body();
        api.put(billingApiUrl + "/api/v1/organisations/" + organisationId + "/subscription", adminToken,
                Map.of("pricingPlanId", plan.get("id").asText(), "startsOn", period + "-01")).expect(200);
        JsonNode generated = api.post(billingApiUrl + "/api/v1/invoices/generate", adminToken,
                Map.of("period", period, "organisationId", organisationId)).expect(200).body();
        String invoiceId = generated.get("invoiceIds").get(0).asText();
        lastInvoiceId = invoiceId;
        JsonNode issued = api.post(billingApiUrl + "/api/v1/invoices/" + invoiceId + "/issue", adminToken, Map.of())
                .expect(200).body();
        String orderId = issued.get("razorpayOrderId").asText();
        out.printf("%ninvoice %s for %s issued, Razorpay order %s; the customer pays it...%n",
                issued.get("invoiceNumber").asText(), period, orderId);

        // the customer's checkout on Razorpay: the emulator captures and sends signed webhooks
        api.post(razorpayUrl + "/_emulator/orders/" + orderId + "/pay", null, Map.of("outcome", "captured")).expect(200);
        JsonNode invoice = awaitPaid(billingApiUrl, adminToken, invoiceId, timeout);
        JsonNode payments = api.get(billingApiUrl + "/api/v1/invoices/" + invoiceId + "/payments", adminToken)
                .expect(200).body();
        boolean ok = print(invoice, payments);
        Path pdf = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "meterbill-demo"))
                .resolve(invoice.get("invoiceNumber").asText() + ".pdf");
        Files.write(pdf, api.download(billingApiUrl + "/api/v1/invoices/" + invoiceId + "/pdf", adminToken));
        out.printf("the tax invoice as the customer receives it: %s%n", pdf.toAbsolutePath());
        JsonNode eInvoice = invoice.path("eInvoice");
        out.printf("e-invoice: %s, IRN %s (ack. %s)%n", eInvoice.path("status").asText("not registered"),
                eInvoice.path("irn").asText("-"), eInvoice.path("ackNo").asText("-"));
        lastInvoiceNumber = invoice.get("invoiceNumber").asText();
        return ok;
    }

    private JsonNode awaitPaid(String billingApiUrl, String adminToken, String invoiceId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode invoice = api.get(billingApiUrl + "/api/v1/invoices/" + invoiceId, adminToken).expect(200).body();
            if ("paid".equals(invoice.get("status").asText()) || System.nanoTime() > deadline) {
                return invoice;
            }
            Thread.sleep(250);
        }
    }

    private boolean print(JsonNode invoice, JsonNode payments) {
        out.printf("%nInvoice %s  period %s  status %s  (%s)%n", invoice.get("invoiceNumber").asText(),
                invoice.get("period").asText(), invoice.get("status").asText(), invoice.get("currency").asText());
        out.printf("%-76s %18s %12s %14s%n", "line", "quantity", "unit price", "amount");
        BigDecimal lines = BigDecimal.ZERO;
        for (JsonNode line : invoice.get("lines")) {
            BigDecimal amount = line.get("amount").decimalValue();
            lines = lines.add(amount);
            out.printf("%-76s %18s %12s %14s%n", line.get("description").asText(),
                    line.get("quantity").decimalValue().toPlainString(), line.get("unitPrice").decimalValue().toPlainString(),
                    amount.toPlainString());
        }
        JsonNode tax = invoice.get("tax");
        BigDecimal subtotal = invoice.get("subtotal").decimalValue();
        BigDecimal total = invoice.get("total").decimalValue();
        out.printf("%-108s %14s%n", "subtotal", subtotal.toPlainString());
        BigDecimal rate = tax.get("ratePercent").decimalValue();
        for (String part : new String[] {"cgst", "sgst", "igst"}) {
            BigDecimal v = tax.get(part).decimalValue();
            if (v.signum() != 0) {
                // CGST and SGST are each half of the GST rate; IGST is the whole rate
                BigDecimal partRate = "igst".equals(part) ? rate : rate.divide(BigDecimal.valueOf(2));
                out.printf("%-108s %14s%n", part.toUpperCase() + " " + partRate.stripTrailingZeros().toPlainString()
                        + "% (" + tax.get("supply").asText() + ")", v.toPlainString());
            }
        }
        out.printf("%-108s %14s%n", "total", total.toPlainString());
        JsonNode captured = null;
        for (JsonNode p : payments.withArray("payments")) {
            out.printf("payment %s  %s  %s %s%n", p.get("razorpayPaymentId").asText(), p.get("status").asText(),
                    p.get("amount").decimalValue().toPlainString(), p.get("currency").asText());
            if ("captured".equals(p.get("status").asText())) {
                captured = p;
            }
        }
        boolean ok = lines.compareTo(subtotal) == 0
                && subtotal.add(tax.get("total").decimalValue()).compareTo(total) == 0
                && "paid".equals(invoice.get("status").asText())
                && captured != null && captured.get("amount").decimalValue().compareTo(total) == 0;
        out.println(ok ? "\nINVOICE OK: lines add up, GST applied, paid in full through Razorpay."
                : "\nINVOICE FAILED: the invoice does not add up or was not paid.");
        return ok;
    }
}
