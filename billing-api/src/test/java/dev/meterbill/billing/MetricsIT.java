package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.PaymentStack.WEBHOOK_SECRET;
import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.billing.testutils.PaymentStack;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.razorpay.emulator.PaymentSimulation;
import dev.meterbill.razorpay.emulator.WebhookSigner;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** GET /metrics serves, without a token, the Prometheus metrics docs/operations.md promises the operator. */
class MetricsIT {

    @Test
    void invoiceRunsWebhooksRazorpayCallsThePoolAndHttpAreMeasured() {
        try (PaymentStack stack = PaymentStack.perClass()) {
            stack.start();
            PaymentStack.Issued paid = stack.issued("Metered Ltd");
            stack.emulator().pay(paid.orderId(), PaymentSimulation.captured());
            stack.awaitWebhooks();
            byte[] unprocessable = "{\"event\":\"payment.captured\",\"payload\":{\"x\":\"\\u0000\"}}"
                    .getBytes(StandardCharsets.UTF_8);
            stack.postWebhook(unprocessable, WebhookSigner.sign(WEBHOOK_SECRET, unprocessable), "evt_metrics_bad");
            stack.postWebhook(unprocessable, "00", "evt_metrics_forged");
            OrgFixture tooBig = stack.running().createOrganisation("Too Big Ltd");
            UUID plan = stack.running().createPlan(InvoiceApiIT.GROWTH.formatted("Growth"));
            stack.running().subscribe(tooBig.id(), plan, "2026-01-01");
            ProjectFixture project = stack.running().createProject(tooBig.id(), "Main");
            stack.running().aggregate(project, "api_calls", "2026-01", "1e25", 1, "1", "1", true);
            stack.client().postJson("/api/v1/invoices/generate", ADMIN_TOKEN, "{\"period\":\"2026-01\"}");
            stack.client().get("/api/v1/invoices/" + UUID.randomUUID(), ADMIN_TOKEN);

            Response metrics = stack.client().get("/metrics", null);

            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.contentType()).startsWith("text/plain");
            assertThat(metrics.body()).contains(
                    "billing_invoice_run_seconds_count{mode=\"single\",result=\"completed\"}",
                    "billing_invoice_run_seconds_count{mode=\"manual\",result=\"completed\"}",
                    "billing_invoices_generated_total{mode=\"single\"}",
                    "billing_invoice_generation_failures_total{mode=\"manual\"} 1.0",
                    "billing_invoice_generation_failures_open 1.0",
                    "billing_webhooks_total{outcome=\"processed\",provider=\"razorpay\"}",
                    "billing_webhooks_total{outcome=\"unprocessable\",provider=\"razorpay\"} 1.0",
                    "billing_webhooks_total{outcome=\"invalid_signature\",provider=\"razorpay\"} 1.0",
                    "billing_razorpay_calls_seconds_count{operation=\"orders.create\",outcome=\"ok\"}",
                    "billing_razorpay_calls_seconds_bucket{operation=\"orders.create\",outcome=\"ok\"",
                    "hikaricp_connections_active{pool=\"billing-api\"}",
                    "hikaricp_connections_pending{pool=\"billing-api\"}",
                    "billing_http_requests_seconds_count{method=\"POST\",route=\"/api/v1/invoices/generate\",status=\"200\"}",
                    "billing_http_requests_seconds_count{method=\"GET\",route=\"/api/v1/invoices/{invoiceId}\",status=\"404\"}",
                    "jvm_memory_used_bytes");
            assertThat(metrics.body()).as("ids never become labels").doesNotContain(paid.id().toString());
        }
    }
}
