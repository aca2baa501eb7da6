package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.PaymentStack;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.events.TextRules;
import dev.meterbill.razorpay.emulator.PaymentSimulation;
import dev.meterbill.testkit.HttpTestClient.Response;
import dev.meterbill.testkit.HttpTestClient;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cases of issue 11 on billing-api's routes: the caller is authenticated and authorised before
 * the body is read; text PostgreSQL cannot store, numbers beyond their bounds and out-of-range dates
 * and integers are a 400 naming the field, never a 500 and never a silent change.
 */
class RequestBoundariesIT {

    private static final String TINY = "1e-20000000";

    @RegisterExtension
    static final PaymentStack stack = PaymentStack.perClass();
    private static HttpTestClient client;
    private static OrgFixture org;
    private static OrgFixture other;
    private static UUID paidInvoice;

    @BeforeAll
    static void start() {
        client = stack.client();
        PaymentStack.Issued issued = stack.issued("Bounds Pvt Ltd");
        org = stack.lastOrganisation();
        stack.emulator().pay(issued.orderId(), PaymentSimulation.captured());
        stack.awaitWebhooks();
        paidInvoice = issued.id();
        other = stack.running().createOrganisation("Other Ltd");
    }


    private static void assertProblem(Response response, int status, String field, String message) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        if (field != null) {
            assertThat(response.json().get("errors").findValuesAsText("field")).as(response.body()).contains(field);
            if (message != null) {
                assertThat(response.body()).contains(message);
            }
        }
    }

    @Test
    void anOrganisationKeyIsRefusedBeforeTheBodyIsRead() {
        String hostilePlan = "{\"name\":\"x\",\"minimumCommitment\":" + TINY + ",\"charges\":[]}";

        assertProblem(client.postJson("/api/v1/pricing-plans", org.secretKey(), hostilePlan), 403, null, null);
        assertProblem(client.postJson("/api/v1/pricing-plans", org.secretKey(), "{not json"), 403, null, null);
        assertProblem(client.postJson("/api/v1/organisations", org.secretKey(), "{\"name\":\"a\\u0000\"}"), 403,
                null, null);
        assertProblem(client.postJson("/api/v1/organisations/" + other.id() + "/projects", org.secretKey(),
                "{\"name\":\"a\\u0000\"}"), 404, null, null);
        assertProblem(client.putJson("/api/v1/organisations/" + org.id() + "/subscription", org.secretKey(),
                "{\"startsOn\":\"+999999999-01-01\"}"), 403, null, null);
        assertProblem(client.putJson("/api/v1/organisations/" + other.id() + "/subscription", org.secretKey(),
                "{\"startsOn\":\"+999999999-01-01\"}"), 404, null, null);
        assertProblem(client.postJson("/api/v1/invoices/generate", org.secretKey(), "{\"period\":\"a\\u0000\"}"), 403,
                null, null);
        assertProblem(client.postJson("/api/v1/invoices/generate", org.secretKey(),
                "{\"period\":\"2026-01\",\"organisationId\":\"" + other.id() + "\"}"), 404, null, null);
        assertProblem(client.postJson("/api/v1/invoices/generate", org.secretKey(),
                "{\"period\":\"\\ud800\",\"organisationId\":\"" + org.id() + "\"}"), 403, null, null);
        assertProblem(client.postJson("/api/v1/invoices/" + paidInvoice + "/refunds", org.secretKey(),
                "{\"amount\":" + TINY + "}"), 403, null, null);
        assertProblem(client.postJson("/api/v1/payments/reconcile", org.secretKey(),
                "{\"olderThanMinutes\":9223372036854775807}"), 403, null, null);
    }

    @Test
    void aDecimalWithAnExtremeExponentIsRefusedAtOnce() {
        long started = System.nanoTime();
        Response plan = client.postJson("/api/v1/pricing-plans", ADMIN_TOKEN, "{\"name\":\"Tiny\",\"minimumCommitment\":"
                + TINY + ",\"charges\":[{\"metricName\":\"m\",\"aggregation\":\"sum\",\"model\":\"flat\",\"flatFee\":1}]}");
        Response refund = client.postJson("/api/v1/invoices/" + paidInvoice + "/refunds", ADMIN_TOKEN,
                "{\"amount\":" + TINY + "}");
        Response huge = client.postJson("/api/v1/invoices/" + paidInvoice + "/refunds", ADMIN_TOKEN,
                "{\"amount\":\"1e999999\"}");

        assertProblem(plan, 400, "minimumCommitment", null);
        assertProblem(refund, 400, "amount", null);
        assertProblem(huge, 400, "amount", null);
        // seconds of CPU each before the fix; the benchmark-style measurement is the benchmarks module's
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
    }

    @Test
    void textPostgresCannotStoreIsAFieldErrorOnEveryRouteThatTakesText() {
        assertProblem(client.postJson("/api/v1/organisations/" + org.id() + "/projects", org.secretKey(),
                "{\"name\":\"Main\\u0000\"}"), 400, "name", TextRules.UNSTORABLE);
        assertProblem(client.get("/api/v1/audit-logs?entityId=a%00b", org.secretKey()), 400, "entityId",
                TextRules.UNSTORABLE);
        assertProblem(client.get("/api/v1/audit-logs?entityType=%00", org.secretKey()), 400, "entityType",
                TextRules.UNSTORABLE);
        assertProblem(client.get("/api/v1/pricing-plans?name=x%00", ADMIN_TOKEN), 400, "name", TextRules.UNSTORABLE);
        assertProblem(client.postJson("/api/v1/pricing-plans", ADMIN_TOKEN, "{\"name\":\"P\\u0000\",\"charges\":[]}"),
                400, "name", TextRules.UNSTORABLE);
        for (String field : new String[] {"name", "billingEmail", "address.line1", "address.city"}) {
            String leaf = field.substring(field.indexOf('.') + 1);
            String body = "{\"name\":\"N\",\"billingEmail\":\"a@b.in\",\"address\":{\"line1\":\"A\",\"city\":\"C\"}}"
                    .replace("\"" + leaf + "\":\"", "\"" + leaf + "\":\"\\u0000");
            assertProblem(client.postJson("/api/v1/organisations", ADMIN_TOKEN, body), 400, field, TextRules.UNSTORABLE);
            assertProblem(client.postJson("/api/v1/organisations", ADMIN_TOKEN,
                    body.replace("\\u0000", "\\udfff")), 400, field, TextRules.UNSTORABLE);
        }
        assertProblem(client.postJson("/api/v1/invoices/" + paidInvoice + "/refunds", ADMIN_TOKEN,
                "{\"reason\":\"r\\u0000\",\"amountMinor\":1}"), 400, "reason", TextRules.UNSTORABLE);
        // form fields of Razorpay's checkout redirect, which the JSON mapper never sees
        assertProblem(client.send(client.request("/api/v1/payments/razorpay/callback", null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "razorpay_order_id=order_%00&razorpay_payment_id=pay_1&razorpay_signature=00"))),
                400, "razorpay_order_id", TextRules.UNSTORABLE);
        assertThat(stack.count("SELECT count(*) FROM refunds")).isZero();
    }

    @Test
    void textWithinTheRulesIsStoredExactlyAsSent() {
        String name = "Chai \uD83C\uDF75 \u0928\u092e\u0938\u094d\u0924\u0947 \u202e";
        Response created = client.postJson("/api/v1/organisations", ADMIN_TOKEN,
                "{\"name\":\"" + name + "\",\"billingEmail\":\"a@b.in\"}");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode read = client.get("/api/v1/organisations/" + created.json().get("id").asText(), ADMIN_TOKEN).json();
        assertThat(read.get("name").asText()).isEqualTo(name);
    }

    @Test
    void valuesOutOfRangeAreFieldErrorsNotServerErrors() {
        UUID plan = stack.running().createPlan("{\"name\":\"Range\",\"charges\":[{\"metricName\":\"m\","
                + "\"aggregation\":\"sum\",\"model\":\"flat\",\"flatFee\":1}]}");
        assertProblem(client.putJson("/api/v1/organisations/" + other.id() + "/subscription", ADMIN_TOKEN,
                "{\"pricingPlanId\":\"" + plan + "\",\"startsOn\":\"+999999999-01-01\"}"), 400, "startsOn", null);
        assertProblem(client.putJson("/api/v1/organisations/" + other.id() + "/subscription", ADMIN_TOKEN,
                "{\"pricingPlanId\":\"" + plan + "\",\"startsOn\":\"1999-12-01\"}"), 400, "startsOn", null);
        assertProblem(stack.reconcile("{\"olderThanMinutes\":9223372036854775807}"), 400, "olderThanMinutes", null);
        assertProblem(stack.reconcile("{\"olderThanMinutes\":9223372036854775808}"), 400, "olderThanMinutes", null);
        assertProblem(stack.reconcile("{\"olderThanMinutes\":525601}"), 400, "olderThanMinutes", null);
        assertProblem(client.get("/api/v1/invoices?limit=99999999999999999999", ADMIN_TOKEN), 400, "limit", null);
        assertProblem(client.get("/api/v1/audit-logs?before=99999999999999999999", ADMIN_TOKEN), 400, "before", null);
    }

    @Test
    void aFractionOfAPaisaIsRefusedNotTruncated() {
        Response response = client.postJson("/api/v1/invoices/" + paidInvoice + "/refunds", ADMIN_TOKEN,
                "{\"amountMinor\":100.9}");

        assertProblem(response, 400, "amountMinor", "whole number");
        assertThat(stack.count("SELECT count(*) FROM refunds")).isZero();
    }

    @Test
    void anOrganisationIsBilledOnlyInACurrencyPlansCanPrice() {
        for (String currency : new String[] {"XAU", "XXX", "XTS", "ABC"}) {
            assertProblem(client.postJson("/api/v1/organisations", ADMIN_TOKEN,
                    "{\"name\":\"Gold\",\"billingEmail\":\"a@b.in\",\"currency\":\"" + currency + "\"}"), 400,
                    "currency", null);
        }
        assertThat(stack.count("SELECT count(*) FROM organisations WHERE name = 'Gold'")).isZero();
    }
}
