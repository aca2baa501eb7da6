package dev.meterbill.billing.einvoice;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.BillingApiConfig;
import dev.meterbill.billing.invoice.BillingSettings;
import dev.meterbill.billing.invoice.SupplierProfile;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.irp.emulator.IrpEmulator;
import dev.meterbill.testkit.HttpTestClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A billing-api process killed (SIGKILL) while it issues 20 B2B invoices at once, with the IRP failing 30 % of
 * calls and holding the answers of documents it registered: the restarted service finishes the issues and the
 * registrations, and no invoice ends with two IRNs.
 */
class EInvoiceRestartIT {

    private static final String SUPPLIER_GSTIN = "29AAACM4321B1Z0";
    private static final IrpEmulator irp = IrpEmulator.start(0);
    private static final BillingSettings SETTINGS = BillingSettings.fromEnv(Map.of(
            BillingSettings.SUPPLIER_GSTIN, SUPPLIER_GSTIN)).withoutScheduledRuns();
    /** The service after the restart. */
    @RegisterExtension
    static final RunningBillingApi restarted = RunningBillingApi.perClass(config -> config.withBilling(SETTINGS)
            .withSupplier(SupplierProfile.defaults().withIrp(irp.baseUrl())));
    private static final HttpTestClient client = restarted.client();

    @AfterAll
    static void stopIrp() {
        irp.releaseAnswers();
        irp.close();
    }

    @Test
    void aProcessKilledInTheMiddleOfIssuingLeavesEveryInvoiceWithOneIrn() throws Exception {
        List<String> drafts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            OrgFixture org = restarted.createOrganisation("Restart buyer " + i, "Asia/Kolkata", null);
            assertThat(client.send("PATCH", "/api/v1/organisations/" + org.id(), ADMIN_TOKEN, """
                    {"gstin":"27AAPFU0939F1ZV","address":{"line1":"1 Road","city":"Pune","postalCode":"411001"}}""")
                    .status()).isEqualTo(200);
            UUID plan = restarted.createPlan("""
                    {"name":"Restart %s","currency":"INR","charges":[
                      {"metricName":"platform","aggregation":"sum","model":"flat","flatFee":1000}]}""".formatted(org.id()));
            restarted.subscribe(org.id(), plan, "2026-01-01");
            drafts.add(restarted.generateInvoice(org.id(), "2026-01"));
        }
        irp.failPercent(30);
        irp.holdAnswersAfter(6);

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process first = startProcess(port);
        List<CompletableFuture<Integer>> issues;
        try {
            HttpTestClient firstClient = new HttpTestClient(port);
            awaitReady(firstClient, first);
            issues = drafts.stream().map(id -> CompletableFuture.supplyAsync(() ->
                    firstClient.postJson("/api/v1/invoices/" + id + "/issue", ADMIN_TOKEN, "").status())).toList();
            Instant deadline = Instant.now().plusSeconds(60);
            while (irp.held() < 3 && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            assertThat(irp.held()).as("registrations whose answer the process is waiting for").isGreaterThanOrEqualTo(3);
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback but the database's own
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        long answered = issues.stream().filter(f -> f.handle((status, e) -> status != null && status == 200).join()).count();
        int held = irp.held();
        irp.releaseAnswers();
        long registeredBeforeRestart = irp.registered();
        long issuedBeforeRestart = restarted.database().queryValue(Long.class,
                "SELECT count(*) FROM invoices WHERE status = 'issued'");
        System.out.printf("killed: %d of 20 issues answered, %d issued, %d registered at the IRP, %d answers held%n",
                answered, issuedBeforeRestart, registeredBeforeRestart, held);

        // the restarted service: the callers retry their issues, pending registrations are retried
        for (String id : drafts) {
            assertThat(client.postJson("/api/v1/invoices/" + id + "/issue", ADMIN_TOKEN, "").status()).isEqualTo(200);
        }
        for (int round = 0; round < 30 && restarted.database().queryValue(Long.class,
                "SELECT count(*) FROM invoices WHERE irn_status = 'pending'") > 0; round++) {
            restarted.api().retryEInvoices();
        }
        irp.failPercent(0);

        assertThat(answered).as("issues answered before the kill").isLessThan(20);
        assertThat(registeredBeforeRestart).as("documents the IRP registered before the kill").isPositive();
        for (String id : drafts) {
            JsonNode invoice = client.get("/api/v1/invoices/" + id, ADMIN_TOKEN).json();
            assertThat(invoice.get("eInvoice").get("status").asText()).as(id).isEqualTo("registered");
            String number = invoice.get("invoiceNumber").asText();
            assertThat(irp.registrationsOf(number)).as(number).isEqualTo(1);
            assertThat(invoice.get("eInvoice").get("irn").asText())
                    .isEqualTo(IrpEmulator.irn(SUPPLIER_GSTIN, "2026-27", "INV", number));
        }
        assertThat(irp.registered()).isEqualTo(20);
        // the killed transactions took no number with them: the series has no gap
        assertThat(restarted.database().rows("SELECT right(invoice_number, 6) FROM invoices ORDER BY 1"))
                .isEqualTo(IntStream.rangeClosed(1, 20).mapToObj(n -> String.format("%06d", n)).toList());
    }

    /** billing-api's production main in a JVM of its own, on the same database and IRP, configured by environment. */
    private static Process startProcess(int port) throws Exception {
        String classpath = "target/classes:" + Files.readString(Path.of("target/test-classpath.txt")).trim();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", classpath, "dev.meterbill.billing.BillingApi")
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "einvoice-restart-" + port + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put(BillingApiConfig.DB_URL, restarted.database().url());
        env.put(BillingApiConfig.DB_USER, restarted.database().user());
        env.put(BillingApiConfig.DB_PASSWORD, restarted.database().password());
        env.put(BillingApiConfig.API_PORT, String.valueOf(port));
        env.put(BillingApiConfig.ADMIN_TOKEN, ADMIN_TOKEN);
        env.put(BillingSettings.SUPPLIER_GSTIN, SUPPLIER_GSTIN);
        env.put(BillingSettings.INVOICE_RUN_INTERVAL_MINUTES, "0");
        env.put(SupplierProfile.IRP_URL, irp.baseUrl());
        env.put("RAZORPAY_ENABLED", "false");
        return pb.start();
    }

    private static void awaitReady(HttpTestClient client, Process process) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            assertThat(process.isAlive()).as("billing-api process is running").isTrue();
            try {
                if (client.get("/health/ready", null).status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("billing-api process not ready within 60 s");
    }
}
