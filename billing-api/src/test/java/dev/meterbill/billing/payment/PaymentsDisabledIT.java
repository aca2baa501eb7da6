package dev.meterbill.billing.payment;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.razorpay.emulator.WebhookSigner;
import dev.meterbill.testkit.HttpTestClient.Response;
import dev.meterbill.testkit.HttpTestClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With payments switched off, invoices are issued without orders and every payment route answers 503. */
class PaymentsDisabledIT {

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass();
    private static final HttpTestClient client = running.client();

    @Test
    void invoicesAreIssuedWithoutAnOrderAndPaymentRoutesAreUnavailable() {
        OrgFixture org = running.createOrganisation("No Payments Ltd");
        UUID plan = running.createPlan("""
                {"name":"No payments plan","currency":"INR","charges":[
                  {"metricName":"platform","aggregation":"sum","model":"flat","flatFee":1000}]}""");
        running.subscribe(org.id(), plan, "2026-01-01");
        String invoice = client.postJson("/api/v1/invoices/generate", ADMIN_TOKEN,
                "{\"period\":\"2026-01\",\"organisationId\":\"" + org.id() + "\"}").json().get("invoiceIds").get(0).asText();
        byte[] body = "{\"event\":\"payment.captured\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8);

        Response issued = client.postJson("/api/v1/invoices/" + invoice + "/issue", ADMIN_TOKEN, "");
        List<Response> unavailable = List.of(
                client.postJson("/api/v1/invoices/" + invoice + "/refunds", ADMIN_TOKEN, "{}"),
                client.postJson("/api/v1/payments/reconcile", ADMIN_TOKEN, "{}"),
                client.postJson("/api/v1/payments/razorpay/callback", null,
                        "{\"razorpay_order_id\":\"order_A\",\"razorpay_payment_id\":\"pay_A\",\"razorpay_signature\":\"00\"}"),
                client.send(client.request("/api/v1/webhooks/razorpay", null)
                        .header("Content-Type", "application/json")
                        .header("X-Razorpay-Signature", WebhookSigner.sign("anything", body))
                        .header("X-Razorpay-Event-Id", "evt_disabled")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))));

        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        assertThat(issued.json().get("status").asText()).isEqualTo("issued");
        assertThat(issued.json().get("razorpayOrderId").isNull()).isTrue();
        assertThat(unavailable).allSatisfy(r -> {
            assertThat(r.status()).as(r.body()).isEqualTo(503);
            assertThat(r.json().get("type").asText()).endsWith("/payments-disabled");
        });
        assertThat(client.get("/api/v1/invoices/" + invoice + "/payments", ADMIN_TOKEN).json().get("payments")).isEmpty();
        assertThat(running.database().queryValue(Long.class, "SELECT count(*) FROM webhook_events")).isZero();
    }
}
