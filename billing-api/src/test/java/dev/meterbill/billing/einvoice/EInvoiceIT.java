package dev.meterbill.billing.einvoice;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.BillingApi;
import dev.meterbill.billing.invoice.BillingSettings;
import dev.meterbill.billing.invoice.SupplierProfile;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.irp.emulator.IrpEmulator;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** E-invoicing against the IRP emulator: one IRN per invoice, whatever the IRP and the platform go through. */
class EInvoiceIT {

    private static final String SUPPLIER_GSTIN = "29AAACM4321B1Z0";
    private static final IrpEmulator irp = IrpEmulator.start(0);
    private static final BillingSettings SETTINGS = BillingSettings.fromEnv(Map.of(
            BillingSettings.SUPPLIER_GSTIN, SUPPLIER_GSTIN)).withoutScheduledRuns();
    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass(config -> config.withBilling(SETTINGS)
            .withSupplier(SupplierProfile.defaults().withIrp(irp.baseUrl())));
    private static final HttpTestClient client = running.client();

    @AfterAll
    static void stopIrp() {
        irp.close();
    }

    /** A January 2026 draft of 1,000.00 + GST for an organisation with a GSTIN (B2B) or without one. */
    private static String draft(String name, String gstin) {
        OrgFixture org = running.createOrganisation(name, "Asia/Kolkata", null);
        if (gstin != null) {
            assertThat(client.send("PATCH", "/api/v1/organisations/" + org.id(), ADMIN_TOKEN,
                    "{\"gstin\":\"" + gstin + "\",\"address\":{\"line1\":\"1 Road\",\"city\":\"Pune\","
                            + "\"postalCode\":\"411001\"}}").status()).isEqualTo(200);
        }
        UUID plan = running.createPlan("""
                {"name":"E-invoice %s","currency":"INR","charges":[
                  {"metricName":"platform","aggregation":"sum","model":"flat","flatFee":1000}]}""".formatted(org.id()));
        running.subscribe(org.id(), plan, "2026-01-01");
        return running.generateInvoice(org.id(), "2026-01");
    }

    private static JsonNode invoice(String id) {
        return client.get("/api/v1/invoices/" + id, ADMIN_TOKEN).json();
    }

    @Test
    void aB2bInvoiceIsRegisteredAtIssueAndAB2cOneIsNot() {
        String b2b = draft("Registered buyer", "27AAPFU0939F1ZV");
        String b2c = draft("Consumer", null);

        JsonNode issued = client.postJson("/api/v1/invoices/" + b2b + "/issue", ADMIN_TOKEN, "").json();
        JsonNode consumer = client.postJson("/api/v1/invoices/" + b2c + "/issue", ADMIN_TOKEN, "").json();

        JsonNode e = issued.get("eInvoice");
        assertThat(e.get("status").asText()).isEqualTo("registered");
        // the IRN the IRP computes from supplier GSTIN, financial year, document type and number
        assertThat(e.get("irn").asText()).isEqualTo(IrpEmulator.irn(SUPPLIER_GSTIN, "2026-27", "INV",
                issued.get("invoiceNumber").asText()));
        assertThat(e.get("ackNo").asText()).isNotBlank();
        assertThat(consumer.has("eInvoice")).isFalse();
        assertThat(running.database().queryValue(Long.class,
                "SELECT count(*) FROM audit_logs WHERE action = 'invoice.irn_registered' AND entity_id = ?", b2b))
                .isEqualTo(1L);
    }

    @Test
    void twentyConcurrentIssuesWithAFailingIrpAndASecondInstanceEndWithOneIrnEach() throws Exception {
        List<String> drafts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            drafts.add(draft("Concurrent buyer " + i, "29AAGCR4375J1ZU"));
        }
        irp.failPercent(30);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Response>> issues = drafts.stream().map(id -> CompletableFuture.supplyAsync(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return client.postJson("/api/v1/invoices/" + id + "/issue", ADMIN_TOKEN, "");
        })).toList();
        go.countDown();
        for (CompletableFuture<Response> issue : issues) {
            assertThat(issue.get().status()).as(issue.get().body()).isEqualTo(200);
        }
        long pending = running.database().queryValue(Long.class,
                "SELECT count(*) FROM invoices WHERE irn_status = 'pending'");

        // a second instance on the same database, as after a restart or in a scaled deployment, retries too
        try (BillingApi second = BillingApi.create(RunningBillingApi.config(running.database()).withBilling(SETTINGS)
                .withSupplier(SupplierProfile.defaults().withIrp(irp.baseUrl())))) {
            for (int round = 0; round < 20 && running.database().queryValue(Long.class,
                    "SELECT count(*) FROM invoices WHERE irn_status = 'pending'") > 0; round++) {
                CompletableFuture<Integer> one = CompletableFuture.supplyAsync(() -> running.api().retryEInvoices());
                CompletableFuture<Integer> two = CompletableFuture.supplyAsync(second::retryEInvoices);
                one.get();
                two.get();
            }
        }
        irp.failPercent(0);

        assertThat(pending).as("the failing IRP left some IRNs pending").isPositive();
        for (String id : drafts) {
            JsonNode invoice = invoice(id);
            assertThat(invoice.get("eInvoice").get("status").asText()).as(id).isEqualTo("registered");
            assertThat(irp.registrationsOf(invoice.get("invoiceNumber").asText())).isEqualTo(1);
        }
        assertThat(running.database().queryValue(Long.class, "SELECT count(DISTINCT irn) FROM invoices WHERE id = ANY(?)",
                (Object) drafts.stream().map(UUID::fromString).toArray(UUID[]::new))).isEqualTo(20L);
    }

    @Test
    void voidingWithin24HoursCancelsTheIrnAndThePdfCarriesIt() throws Exception {
        String id = draft("Cancelled buyer", "24AAACC1206D1ZM");
        JsonNode issued = client.postJson("/api/v1/invoices/" + id + "/issue", ADMIN_TOKEN, "").json();
        String irn = issued.get("eInvoice").get("irn").asText();
        assertThat(client.get("/api/v1/invoices/" + id + "/html", ADMIN_TOKEN).body()).contains("IRN: " + irn,
                "data:image/png;base64,");

        assertThat(client.postJson("/api/v1/invoices/" + id + "/void", ADMIN_TOKEN, "").status()).isEqualTo(200);

        assertThat(invoice(id).get("eInvoice").get("status").asText()).isEqualTo("cancelled");
        assertThat(invoice(id).get("eInvoice").get("irn").asText()).isEqualTo(irn);
    }
}
