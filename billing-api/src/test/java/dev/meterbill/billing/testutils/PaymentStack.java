package dev.meterbill.billing.testutils;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.razorpay.Entity;
import com.razorpay.RazorpayClient;
import com.razorpay.RazorpayException;
import dev.meterbill.billing.BillingApiConfig;
import dev.meterbill.billing.payment.RazorpaySettings;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.razorpay.emulator.RazorpayEmulator;
import dev.meterbill.razorpay.emulator.RetryPolicy;
import dev.meterbill.testkit.HttpTestClient.Response;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.ServiceExtension;
import dev.meterbill.testkit.StartupGuard;
import dev.meterbill.testkit.TestDatabase;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.json.JSONObject;

/**
 * The billing API with payments on, its razorpay-java client redirected to an in-process Razorpay
 * emulator whose webhooks come back to the API: the real SDK code path, no mocks. Reconciliation
 * runs only when a test asks for it. On a static {@code @RegisterExtension} field it runs for all
 * tests of the class.
 */
public final class PaymentStack extends ServiceExtension<PaymentStack.Instance> {

    public static final String KEY_ID = "rzp_test_meterbill";
    public static final String KEY_SECRET = "key-secret-" + UUID.randomUUID();
    public static final String WEBHOOK_SECRET = "whsec-current-" + UUID.randomUUID();
    /** A plan with one flat fee of 1000.00 INR: every invoice totals 1180.00 INR (118000 paise) with GST. */
    static final String FLAT_PLAN = """
            {"name":"%s","currency":"INR","charges":[
              {"metricName":"platform","aggregation":"sum","model":"flat","flatFee":1000}]}""";
    public static final long TOTAL_MINOR = 118_000;

    /** What runs: the emulator, the API it delivers webhooks to, and the flat plan. */
    public record Instance(RazorpayEmulator emulator, RunningBillingApi running, UUID plan) implements AutoCloseable {
        @Override
        public void close() {
            try {
                running.close();
            } finally {
                emulator.close();
            }
        }
    }

    private volatile OrgFixture lastOrganisation;

    private PaymentStack(UnaryOperator<RazorpaySettings> configure, UnaryOperator<BillingApiConfig> more) {
        super(Scope.CLASS, () -> launch(configure, more));
    }

    /** Payments on, with the test keys and secrets. */
    public static PaymentStack perClass() {
        return perClass(settings -> settings);
    }

    /** With payment settings changed by {@code configure} (secrets during a rotation, say). */
    public static PaymentStack perClass(UnaryOperator<RazorpaySettings> configure) {
        return new PaymentStack(configure, config -> config);
    }

    /** Payments on, and more of the configuration changed by {@code configure} (e-mail, say). */
    public static PaymentStack perClassWith(UnaryOperator<BillingApiConfig> configure) {
        return new PaymentStack(settings -> settings, configure);
    }

    private static Instance launch(UnaryOperator<RazorpaySettings> configure, UnaryOperator<BillingApiConfig> more)
            throws Exception {
        try (StartupGuard guard = new StartupGuard()) {
            RazorpayEmulator emulator = guard.add(RazorpayEmulator.start(0, KEY_ID, KEY_SECRET,
                    new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(5))));
            RazorpaySettings settings = RazorpaySettings.of(KEY_ID, KEY_SECRET, WEBHOOK_SECRET, emulator.baseUrl())
                    .withReconciliation(Duration.ZERO, Duration.ZERO);
            RunningBillingApi running = guard.add(RunningBillingApi.started(config ->
                    more.apply(config.withRazorpay(configure.apply(settings)))));
            emulator.webhook("http://127.0.0.1:" + running.api().port() + "/api/v1/webhooks/razorpay", WEBHOOK_SECRET);
            UUID plan = running.createPlan(FLAT_PLAN.formatted("Flat " + UUID.randomUUID()));
            return guard.started(new Instance(emulator, running, plan));
        }
    }

    public RazorpayEmulator emulator() {
        return get().emulator();
    }

    public RunningBillingApi running() {
        return get().running();
    }

    public HttpTestClient client() {
        return running().client();
    }

    public TestDatabase database() {
        return running().database();
    }

    /** An organisation on the flat plan with a generated January 2026 draft of 1180.00 INR; returns its id. */
    public UUID draftInvoice(String organisationName) {
        RunningBillingApi running = running();
        OrgFixture org = running.createOrganisation(organisationName, "Asia/Kolkata", "29");
        lastOrganisation = org;
        running.subscribe(org.id(), get().plan(), "2026-01-01");
        ProjectFixture project = running.createProject(org.id(), "Main");
        running.aggregate(project, "platform", "2026-01", "1", 1, "1", "1", true);
        Response generated = client().postJson("/api/v1/invoices/generate", ADMIN_TOKEN,
                "{\"period\":\"2026-01\",\"organisationId\":\"" + org.id() + "\"}");
        assertThat(generated.status()).as(generated.body()).isEqualTo(200);
        return UUID.fromString(generated.json().get("invoiceIds").get(0).asText());
    }

    /** The organisation the last {@link #draftInvoice} created, with its secret key. */
    public OrgFixture lastOrganisation() {
        return lastOrganisation;
    }

    public Response issue(UUID invoiceId) {
        return client().postJson("/api/v1/invoices/" + invoiceId + "/issue", ADMIN_TOKEN, "");
    }

    /** A draft issued through the API; returns the invoice as the issue answered it, with its order id. */
    public JsonNode issuedInvoice(String organisationName) {
        Response issued = issue(draftInvoice(organisationName));
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        assertThat(issued.json().get("razorpayOrderId").isTextual()).as(issued.body()).isTrue();
        return issued.json();
    }

    /** An issued invoice: its id and its Razorpay order. */
    public record Issued(UUID id, String orderId) {}

    /** {@link #issuedInvoice}, reduced to the invoice's id and its order id. */
    public Issued issued(String organisationName) {
        JsonNode invoice = issuedInvoice(organisationName);
        return new Issued(UUID.fromString(invoice.get("id").asText()), invoice.get("razorpayOrderId").asText());
    }

    public JsonNode invoice(UUID invoiceId) {
        return client().get("/api/v1/invoices/" + invoiceId, ADMIN_TOKEN).json();
    }

    public JsonNode payments(UUID invoiceId) {
        Response response = client().get("/api/v1/invoices/" + invoiceId + "/payments", ADMIN_TOKEN);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    public Response reconcile(String body) {
        return client().postJson("/api/v1/payments/reconcile", ADMIN_TOKEN, body);
    }

    /** Posts bytes to the webhook route exactly as given, with the headers Razorpay sends. */
    public Response postWebhook(byte[] body, String signature, String eventId) {
        HttpRequest.Builder request = client().request("/api/v1/webhooks/razorpay", null)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("X-Razorpay-Signature", signature);
        }
        if (eventId != null) {
            request.header("X-Razorpay-Event-Id", eventId);
        }
        return client().send(request);
    }

    /** Waits until the emulator has delivered every webhook (and retry) it owes. */
    public void awaitWebhooks() {
        try {
            assertThat(emulator().awaitIdle(Duration.ofSeconds(30))).as("webhooks delivered").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The orders Razorpay holds with this receipt, read through the SDK (itself redirected to the emulator). */
    public List<String> ordersWithReceipt(String receipt) {
        try {
            return new RazorpayClient(KEY_ID, KEY_SECRET).orders.fetchAll(new JSONObject().put("receipt", receipt))
                    .stream().map(o -> (String) ((Entity) o).get("id")).toList();
        } catch (RazorpayException e) {
            throw new AssertionError(e);
        }
    }

    public long count(String sql, Object... parameters) {
        return database().queryValue(Long.class, sql, parameters);
    }
}
