package dev.meterbill.billing.document;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.billing.invoice.BillingSettings;
import dev.meterbill.billing.invoice.SupplierProfile;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tax invoices rendered through {@code GET /invoices/{id}/pdf}, read back with PDFBox: every particular
 * CGST Rules rule 46 asks for, for an intra-state, an inter-state, an unregistered and an export-under-LUT
 * customer.
 */
class TaxInvoicePdfIT {

    private static final String SUPPLIER_GSTIN = "29AACCF0683K1ZD";
    private static final SupplierProfile SUPPLIER = SupplierProfile.fromEnv(Map.of(
            "BILLING_SUPPLIER_PAN", "AACCF0683K", "BILLING_SUPPLIER_LUT_REFERENCE", "AD2903260001234",
            "BILLING_SUPPLIER_LUT_VALID_UNTIL", "2027-03-31", "BILLING_SUPPLIER_UPI_ID", "meterbill@okaxis",
            "BILLING_SUPPLIER_LOGO", logo(240, 80)));
    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass(config -> config
            .withBilling(BillingSettings.fromEnv(Map.of("BILLING_SUPPLIER_GSTIN", SUPPLIER_GSTIN)).withoutScheduledRuns())
            .withSupplier(SUPPLIER));
    private static final HttpTestClient client = running.client();

    /**
     * An invoice of January 2026: 12,000 calls of two projects at 0.25 after 2,000 free, and 999.00 a month,
     * whose charge names its own SAC.
     */
    private static String issuedInvoice(OrgFixture org) {
        UUID plan = running.createPlan("""
                {"name":"Document %s","currency":"INR","charges":[
                  {"metricName":"api_calls","aggregation":"sum","model":"per_unit","unitPrice":0.25,"freeUnits":2000},
                  {"metricName":"platform","aggregation":"sum","model":"flat","flatFee":999,"sac":"998316"}]}""".formatted(org.id()));
        running.subscribe(org.id(), plan, "2026-01-01");
        ProjectFixture web = running.createProject(org.id(), "web-app");
        ProjectFixture mobile = running.createProject(org.id(), "mobile-app");
        running.aggregate(web, "api_calls", "2026-01", "8000", 8000, "1", "1", true);
        running.aggregate(mobile, "api_calls", "2026-01", "4000", 4000, "1", "1", true);
        String invoice = running.generateInvoice(org.id(), "2026-01");
        Response issued = client.postJson("/api/v1/invoices/" + invoice + "/issue", ADMIN_TOKEN, "");
        assertThat(issued.status()).isEqualTo(200);
        // the flat charge names its own SAC; the usage line falls back to the supplier's default
        assertThat(issued.json().get("lines").findValuesAsText("sac")).containsExactly("998316");
        return invoice;
    }

    /** A PNG logo of that size, in a file of its own. */
    private static String logo(int width, int height) {
        try {
            Path file = Files.createTempFile("logo", ".png");
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(new Color(0x1f4e8c));
            g.fillRect(0, 0, width, height);
            g.dispose();
            ImageIO.write(image, "png", file.toFile());
            file.toFile().deleteOnExit();
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] pdf(String invoiceId, String token) throws Exception {
        HttpResponse<byte[]> pdf = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + running.api().port() + "/api/v1/invoices/" + invoiceId + "/pdf"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
        return pdf.body();
    }

    private static String text(String invoiceId, String token) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf(invoiceId, token))) {
            return new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
        }
    }

    /** What every tax invoice carries, whoever the customer. */
    private static void assertRule46(String text, String invoiceNumber) {
        assertThat(text).contains("TAX INVOICE", "Meterbill Cloud Services Private Limited",
                "3rd Floor, 100 Feet Road, Indiranagar, Bengaluru 560038", "GSTIN: " + SUPPLIER_GSTIN,
                "PAN: AACCF0683K", "Invoice number: " + invoiceNumber, "Invoice date:", "PLACE OF SUPPLY",
                "Usage period: 1 Jan 2026 to 31 Jan 2026", "SAC", "998315", "998316", "Quantity", "Taxable value",
                "Total taxable value 3499.00", "Tax payable on reverse charge: No", "Authorised signatory",
                "web-app: 8000", "mobile-app: 4000", "How to pay", "UPI: meterbill@okaxis");
    }

    private static String number(String invoiceId) {
        return client.get("/api/v1/invoices/" + invoiceId, ADMIN_TOKEN).json().get("invoiceNumber").asText();
    }

    @Test
    void anIntraStateInvoiceShowsCgstAndSgstAndTheTotalInWords() throws Exception {
        OrgFixture org = running.createOrganisation("Karnataka Customer Pvt Ltd", "Asia/Kolkata", null);
        client.send("PATCH", "/api/v1/organisations/" + org.id(), ADMIN_TOKEN, """
                {"gstin":"29AAGCR4375J1ZU","address":{"line1":"12 Residency Road","city":"Bengaluru",
                 "postalCode":"560025"}}""");
        String invoice = issuedInvoice(org);

        String text = text(invoice, org.secretKey());

        assertRule46(text, number(invoice));
        // 10,000 billable calls x 0.25 = 2,500.00 + 999.00 = 3,499.00; 9% = 314.91 twice; 4,128.82
        assertThat(text).contains("Karnataka Customer Pvt Ltd", "12 Residency Road", "GSTIN: 29AAGCR4375J1ZU",
                "State: Karnataka (29)", "Karnataka (29)", "intra-state", "CGST @ 9% 314.91", "SGST @ 9% 314.91",
                "Total (INR) 4128.82",
                "Rupees Four Thousand One Hundred Twenty-Eight and Eighty-Two Paise Only");
    }

    @Test
    void anInterStateInvoiceShowsIgstAndTheRecipientsState() throws Exception {
        OrgFixture org = running.createOrganisation("Mumbai Buyer Pvt Ltd", "Asia/Kolkata", null);
        client.send("PATCH", "/api/v1/organisations/" + org.id(), ADMIN_TOKEN, """
                {"gstin":"27AAPFU0939F1ZV","address":{"line1":"1 Nariman Point","city":"Mumbai","postalCode":"400021"}}""");
        String invoice = issuedInvoice(org);

        String text = text(invoice, ADMIN_TOKEN);

        assertRule46(text, number(invoice));
        // 18% of 3,499.00 = 629.82; 4,128.82
        assertThat(text).contains("GSTIN: 27AAPFU0939F1ZV", "Maharashtra (27)", "inter-state", "IGST @ 18% 629.82",
                "Total (INR) 4128.82");
    }

    @Test
    void anUnregisteredCustomerWithoutAStateIsSuppliedFromTheSuppliersState() throws Exception {
        OrgFixture org = running.createOrganisation("Small Shop", "Asia/Kolkata", null);
        String invoice = issuedInvoice(org);

        String text = text(invoice, ADMIN_TOKEN);

        assertRule46(text, number(invoice));
        assertThat(text).contains("Small Shop", "GSTIN: Unregistered", "Karnataka (29)", "CGST @ 9% 314.91");
    }

    @Test
    void anExportUnderLutCarriesNoGstAndSaysSo() throws Exception {
        OrgFixture org = running.createOrganisation("Acme Inc", "UTC", null);
        Response moved = client.send("PATCH", "/api/v1/organisations/" + org.id(), ADMIN_TOKEN, """
                {"address":{"line1":"1 Market St","city":"San Francisco","postalCode":"94105","country":"US"}}""");
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        String invoice = issuedInvoice(org);

        String text = text(invoice, ADMIN_TOKEN);

        assertRule46(text, number(invoice));
        assertThat(text).contains("Acme Inc", "Country: US", "Outside India (96)",
                "Supply meant for export under LUT AD2903260001234 without payment of IGST", "IGST @ 18% 0.00",
                "Total (INR) 3499.00", "Rupees Three Thousand Four Hundred Ninety-Nine Only");
        assertThat(client.get("/api/v1/invoices/" + invoice, ADMIN_TOKEN).json().get("tax").get("supply").asText())
                .isEqualTo("export_under_lut");
    }

    @Test
    void theSuppliersLogoIsPrintedAtTheHead() throws Exception {
        OrgFixture org = running.createOrganisation("Logo Viewer Pvt Ltd", "Asia/Kolkata", "29");
        String invoice = issuedInvoice(org);

        List<String> images = new ArrayList<>();
        try (PDDocument document = Loader.loadPDF(pdf(invoice, ADMIN_TOKEN))) {
            PDResources resources = document.getPage(0).getResources();
            for (COSName name : resources.getXObjectNames()) {
                if (resources.getXObject(name) instanceof PDImageXObject image) {
                    images.add(image.getWidth() + "x" + image.getHeight());
                }
            }
        }
        assertThat(images).contains("240x80");
    }

    @Test
    void aDraftIsWatermarkedAndAnotherOrganisationCannotReadTheDocument() throws Exception {
        OrgFixture org = running.createOrganisation("Drafty Pvt Ltd", "Asia/Kolkata", "29");
        UUID plan = running.createPlan("""
                {"name":"Draft doc %s","currency":"INR","charges":[
                  {"metricName":"platform","aggregation":"sum","model":"flat","flatFee":100}]}""".formatted(org.id()));
        running.subscribe(org.id(), plan, "2026-01-01");
        String draft = running.generateInvoice(org.id(), "2026-01");

        assertThat(text(draft, ADMIN_TOKEN)).contains("DRAFT", "Invoice number: DRAFT");
        assertThat(client.get("/api/v1/invoices/" + draft + "/pdf", running.createOrganisation("Other").secretKey())
                .status()).isEqualTo(404);
        Response html = client.get("/api/v1/invoices/" + draft + "/html", org.secretKey());
        assertThat(html.status()).isEqualTo(200);
        assertThat(html.body()).contains("<title>Tax invoice DRAFT</title>", "Drafty Pvt Ltd");
    }
}
