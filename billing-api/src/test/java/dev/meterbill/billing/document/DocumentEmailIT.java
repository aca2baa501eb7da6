package dev.meterbill.billing.document;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.meterbill.billing.delivery.MailSettings;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.testkit.HttpTestClient;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issued invoices and credit notes e-mailed with their PDF, read back from an embedded SMTP server (GreenMail). */
class DocumentEmailIT {

    private static GreenMail smtp = started(0);
    private static final int PORT = smtp.getSmtp().getPort();
    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass(config -> config
            .withMail(MailSettings.local(PORT, "billing@meterbill.example")));
    private static final HttpTestClient client = running.client();

    private static GreenMail started(int port) {
        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        return server;
    }

    @AfterAll
    static void stopSmtp() {
        smtp.stop();
    }

    private static String issued(String name) {
        OrgFixture org = running.createOrganisation(name, "Asia/Kolkata", "29");
        UUID plan = running.createPlan("""
                {"name":"Mail %s","currency":"INR","charges":[
                  {"metricName":"platform","aggregation":"sum","model":"flat","flatFee":1000}]}""".formatted(org.id()));
        running.subscribe(org.id(), plan, "2026-01-01");
        String invoice = running.generateInvoice(org.id(), "2026-01");
        assertThat(client.postJson("/api/v1/invoices/" + invoice + "/issue", ADMIN_TOKEN, "").status()).isEqualTo(200);
        return invoice;
    }

    private static String number(String invoiceId) {
        return client.get("/api/v1/invoices/" + invoiceId, ADMIN_TOKEN).json().get("invoiceNumber").asText();
    }

    /** The e-mails received whose subject names {@code document}. */
    private static List<MimeMessage> mailsAbout(String document) throws Exception {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getSubject().contains(document);
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static String pdfText(MimeMessage message) throws Exception {
        MimeMultipart parts = (MimeMultipart) message.getContent();
        BodyPart attachment = parts.getBodyPart(1);
        assertThat(attachment.getContentType()).startsWith("application/pdf");
        try (PDDocument pdf = Loader.loadPDF(attachment.getInputStream().readAllBytes())) {
            return new PDFTextStripper().getText(pdf).replaceAll("\\s+", " ");
        }
    }

    @Test
    void anIssuedInvoiceIsEmailedOnceWithItsPdf() throws Exception {
        String invoice = issued("Mailed Pvt Ltd");
        String number = number(invoice);

        running.api().sendDueEmails();
        running.api().sendDueEmails();

        List<MimeMessage> mails = mailsAbout(number);
        assertThat(mails).hasSize(1);
        MimeMessage mail = mails.get(0);
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("billing@example.com");
        assertThat(mail.getSubject()).contains("Tax invoice " + number, "\u20B91,180.00");
        assertThat(mail.getMessageID()).startsWith("<").endsWith("@meterbill>");
        assertThat(((MimeMultipart) mail.getContent()).getBodyPart(1).getFileName()).isEqualTo(number + ".pdf");
        assertThat(pdfText(mail)).contains("TAX INVOICE", "Invoice number: " + number, "Mailed Pvt Ltd");
        assertThat(running.database().queryValue(String.class,
                "SELECT status FROM email_outbox WHERE document_id = ?", UUID.fromString(invoice))).isEqualTo("sent");
    }

    @Test
    void anInvoiceIssuedWhileTheMailServerIsDownIsEmailedOnceItIsBack() throws Exception {
        smtp.stop();
        String invoice = issued("Patient Pvt Ltd");
        String number = number(invoice);

        assertThat(running.api().sendDueEmails()).isZero();
        assertThat(running.database().queryValue(Integer.class,
                "SELECT attempts FROM email_outbox WHERE document_id = ?", UUID.fromString(invoice))).isEqualTo(1);
        assertThat(running.database().queryValue(String.class,
                "SELECT status FROM email_outbox WHERE document_id = ?", UUID.fromString(invoice))).isEqualTo("pending");

        smtp = started(PORT);
        // the backoff has passed
        running.database().update("UPDATE email_outbox SET next_attempt_at = now() WHERE document_id = ?",
                UUID.fromString(invoice));
        running.api().sendDueEmails();
        running.api().sendDueEmails();

        assertThat(mailsAbout(number)).hasSize(1);
    }

    @Test
    void aCreditNoteIsEmailedWithItsOwnPdf() throws Exception {
        String invoice = issued("Credited by mail Ltd");
        String note = client.postJson("/api/v1/invoices/" + invoice + "/credit-notes", ADMIN_TOKEN,
                "{\"reason\":\"service_issue\",\"lines\":[{\"line\":1,\"amount\":100}]}").json()
                .get("creditNoteNumber").asText();

        running.api().sendDueEmails();

        List<MimeMessage> mails = mailsAbout(note);
        assertThat(mails).hasSize(1);
        assertThat(pdfText(mails.get(0))).contains("CREDIT NOTE", "Credit note number: " + note,
                "Against invoice: " + number(invoice), "Reason: service issue", "CGST @ 9% 9.00", "Total (INR) 118.00");
    }
}
