package dev.meterbill.billing.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.meterbill.billing.delivery.MailSettings;
import dev.meterbill.billing.invoice.InvoiceLinks;
import dev.meterbill.billing.testutils.PaymentStack;
import dev.meterbill.razorpay.emulator.PaymentSimulation;
import dev.meterbill.testkit.HttpTestClient.Response;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.Arrays;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The link in an invoice's e-mail opens its hosted page: the invoice, what is due, its PDF and a Pay button
 * for its Razorpay order, behind nothing but the link's token; paid, the page says so.
 */
class HostedInvoicePageIT {

    private static final GreenMail smtp = started();
    @RegisterExtension
    static final PaymentStack stack = PaymentStack.perClassWith(config -> config
            .withMail(MailSettings.local(smtp.getSmtp().getPort(), "billing@meterbill.example")));
    private static final Pattern LINK = Pattern.compile("http://localhost:(\\d+)/i/([A-Za-z0-9_-]{43})");

    private static GreenMail started() {
        GreenMail server = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        return server;
    }

    @AfterAll
    static void stopSmtp() {
        smtp.stop();
    }

    /** The link the invoice's e-mail carries. */
    private static String linkMailedFor(String invoiceNumber) throws Exception {
        stack.running().api().sendDueEmails();
        MimeMessage mail = Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getSubject().contains(invoiceNumber);
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).findFirst().orElseThrow();
        String text = (String) ((MimeMultipart) mail.getContent()).getBodyPart(0).getContent();
        Matcher link = LINK.matcher(text);
        assertThat(link.find()).as(text).isTrue();
        assertThat(text).contains("View and pay it online: " + link.group());
        assertThat(Integer.parseInt(link.group(1))).isEqualTo(stack.running().api().port());
        return "/i/" + link.group(2);
    }

    private static Response open(String path) {
        return open(path, null);
    }

    private static Response open(String path, String cookie) {
        java.net.http.HttpRequest.Builder request = stack.client().request(path, null);
        if (cookie != null) {
            request.header("Cookie", "mb_invoice=" + cookie);
        }
        return stack.client().send(request.GET());
    }

    @Test
    void theMailedLinkShowsTheInvoiceWithItsPdfAndAPayButtonUntilItIsPaid() throws Exception {
        PaymentStack.Issued issued = stack.issued("Hosted Page Pvt Ltd");
        String number = stack.client().get("/api/v1/invoices/" + issued.id(), dev.meterbill.billing.testutils
                .RunningBillingApi.ADMIN_TOKEN).json().get("invoiceNumber").asText();
        String link = linkMailedFor(number);
        String token = link.substring("/i/".length());

        Response opened = open(link);
        assertThat(opened.status()).isEqualTo(303);
        assertThat(opened.header("Location")).as("the token leaves the address bar").isEqualTo("/i");
        assertThat(opened.raw().headers().firstValue("Set-Cookie").orElseThrow())
                .contains("mb_invoice=" + token, "HttpOnly", "SameSite=Lax", "Path=/i");
        Response unpaid = open("/i", token);
        assertThat(unpaid.status()).isEqualTo(200);
        assertThat(unpaid.contentType()).startsWith("text/html");
        assertThat(unpaid.header("Content-Security-Policy")).contains("default-src 'none'",
                "script-src 'self' " + stack.emulator().baseUrl(), "frame-src " + stack.emulator().baseUrl(),
                "frame-ancestors 'none'");
        assertThat(unpaid.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(unpaid.header("Cache-Control")).isEqualTo("no-store");
        // 1,000.00 + 18 % GST, in Indian digit grouping
        assertThat(unpaid.body()).contains("TAX INVOICE", "Invoice number: <b>" + number, "Hosted Page Pvt Ltd",
                "Amount due: <b>\u20B91,180.00</b>", "href=\"/i/pdf\"",
                "data-key=\"" + PaymentStack.KEY_ID + "\"", "data-order=\"" + issued.orderId() + "\"",
                "data-amount=\"118000\"", "data-currency=\"INR\"", "Pay \u20B91,180.00",
                "<script src=\"" + stack.emulator().baseUrl() + "/checkout/v1/checkout.js\"></script>",
                "<script src=\"/assets/pay.js\"></script>");
        assertThat(unpaid.body()).doesNotContain(PaymentStack.KEY_SECRET, token);

        Response script = open("/assets/pay.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.contentType()).contains("javascript");
        assertThat(script.body()).contains("new window.Razorpay(", "/api/v1/payments/razorpay/callback",
                "razorpay_signature");

        HttpResponse<byte[]> pdf = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + stack.running().api().port() + "/i/pdf")).header("Cookie", "mb_invoice=" + token)
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
        try (PDDocument document = Loader.loadPDF(pdf.body())) {
            assertThat(new PDFTextStripper().getText(document)).contains("Invoice number: " + number);
        }

        stack.emulator().pay(issued.orderId(), PaymentSimulation.captured());
        stack.awaitWebhooks();

        Response paid = open("/i", token);
        assertThat(paid.status()).isEqualTo(200);
        assertThat(paid.body()).contains("Paid on ", "Thank you.").doesNotContain("id=\"pay\"", "checkout.js");
    }

    @Test
    void anyOtherTokenAndADraftsTokenOpenTheSameRefusal() throws Exception {
        UUID draft = stack.draftInvoice("Hosted Draft Ltd");
        String draftToken;
        try (Connection c = stack.database().connect()) {
            draftToken = new InvoiceLinks().ensure(c, draft);
        }
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        String unknown = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);

        String[][] tries = {{"/i/" + unknown, null}, {"/i/" + draftToken, null}, {"/i/short", null},
            {"/i/" + draft, null}, {"/i", null}, {"/i/pdf", null}, {"/i", unknown}, {"/i/pdf", unknown},
            {"/i", draftToken}, {"/i/pdf", draftToken}};
        for (String[] attempt : tries) {
            String path = attempt[0] + " with cookie " + attempt[1];
            Response refused = open(attempt[0], attempt[1]);
            assertThat(refused.status()).as(path).isEqualTo(404);
            assertThat(refused.contentType()).as(path).startsWith("text/html");
            assertThat(refused.body()).as(path).contains("This invoice link is not valid")
                    .doesNotContain("Hosted Draft Ltd");
            assertThat(refused.header("Referrer-Policy")).isEqualTo("no-referrer");
        }
    }
}
