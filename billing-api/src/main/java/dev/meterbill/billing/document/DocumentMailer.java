package dev.meterbill.billing.document;

import dev.meterbill.billing.creditnote.CreditNote;
import dev.meterbill.billing.creditnote.CreditNoteRepository;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.delivery.EmailOutbox;
import dev.meterbill.billing.delivery.SmtpMailer;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceLinks;
import dev.meterbill.billing.invoice.InvoiceRepository;
import dev.meterbill.billing.invoice.SupplierProfile;
import dev.meterbill.billing.pricing.Money;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the e-mails of the outbox: each issued invoice and credit note to the organisation's billing e-mail,
 * with its PDF attached. An e-mail is claimed with its row locked ({@code SKIP LOCKED}: instances never send
 * the same one at once), sent, and marked sent in that transaction once the SMTP server accepted it; a server
 * that refuses or does not answer puts it back with a growing delay. The window in which an e-mail can be
 * sent twice is a crash between the server's acceptance and the commit; its Message-ID is the outbox row's,
 * so a receiving system can spot the repeat.
 */
public final class DocumentMailer {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentMailer.class);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
    private static final ZoneId INDIA = ZoneId.of("Asia/Kolkata");
    /** At most this many e-mails per run, so one run never holds the thread for long. */
    static final int BATCH = 200;

    private final Transactions transactions;
    private final EmailOutbox outbox;
    private final InvoiceRepository invoices;
    private final CreditNoteRepository creditNotes;
    private final SupplierProfile supplier;
    private final SmtpMailer mailer;
    private final InvoiceLinks links;
    private final Supplier<String> publicUrl;
    private final Clock clock;

    /** @param publicUrl where customers reach billing-api, for the link to an invoice's hosted page */
    public DocumentMailer(Transactions transactions, EmailOutbox outbox, InvoiceRepository invoices,
                          CreditNoteRepository creditNotes, SupplierProfile supplier, SmtpMailer mailer,
                          InvoiceLinks links, Supplier<String> publicUrl, Clock clock) {
        this.transactions = transactions;
        this.outbox = outbox;
        this.invoices = invoices;
        this.creditNotes = creditNotes;
        this.supplier = supplier;
        this.mailer = mailer;
        this.links = links;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    /** Sends what is due; how many were sent. */
    public int sendDue() {
        int sent = 0;
        for (int i = 0; i < BATCH; i++) {
            Boolean outcome = transactions.inOwnTransaction(c -> {
                Optional<EmailOutbox.Email> due = outbox.claimNextDue(c, clock.instant());
                if (due.isEmpty()) {
                    return null;
                }
                EmailOutbox.Email email = due.get();
                String messageId = "<" + email.id() + "@meterbill>";
                try {
                    Message message = "invoice".equals(email.documentType())
                            ? invoiceMessage(invoices.find(c, email.documentId(), false).orElseThrow(),
                                    publicUrl.get() + "/i/" + links.ensure(c, email.documentId()))
                            : creditNoteMessage(creditNotes.find(c, email.documentId()).orElseThrow(), c);
                    mailer.send(email.recipient(), message.subject(), message.text(), message.fileName(),
                            PdfDocuments.pdf(message.html()), messageId);
                    outbox.markSent(c, email.id(), messageId);
                    return true;
                } catch (MessagingException e) {
                    LOG.warn("E-mail {} of {} {} to {} not sent, retried later: {}", email.id(), email.documentType(),
                            email.documentId(), email.recipient(), e.getMessage());
                    outbox.markFailedAttempt(c, email, e.getMessage(), clock.instant());
                    return false;
                }
            });
            if (outcome == null) {
                break;
            }
            sent += outcome ? 1 : 0;
        }
        return sent;
    }

    private record Message(String subject, String text, String fileName, String html) {}

    private Message invoiceMessage(Invoice invoice, String link) {
        String total = Money.display(invoice.totalMinor(), invoice.currency());
        String due = invoice.dueAt() == null ? "" : ", due " + DATE.format(invoice.dueAt().atZone(INDIA));
        StringBuilder text = new StringBuilder().append("Dear ").append(invoice.customer().name()).append(",\n\n")
                .append("please find attached tax invoice ").append(invoice.invoiceNumber()).append(" for ")
                .append(invoice.period()).append(": ").append(total).append(due).append(".\n\n");
        text.append(invoice.razorpayOrderId() != null ? "View and pay it online: " : "View it online: ")
                .append(link).append("\n");
        if (supplier.upiId() != null) {
            text.append("UPI: ").append(supplier.upiId()).append(".\n");
        }
        if (supplier.bankDetails() != null) {
            text.append("Bank transfer: ").append(supplier.bankDetails()).append(".\n");
        }
        text.append("If you deduct TDS, please send us the certificate at ").append(supplier.email()).append(".\n\n")
                .append(supplier.legalName()).append('\n');
        return new Message("Tax invoice " + invoice.invoiceNumber() + " from " + supplier.legalName() + ": " + total,
                text.toString(), invoice.invoiceNumber() + ".pdf", InvoiceDocument.html(invoice, supplier));
    }

    private Message creditNoteMessage(CreditNote note, java.sql.Connection c) throws java.sql.SQLException {
        Invoice invoice = invoices.find(c, note.invoiceId(), false).orElseThrow();
        String total = Money.display(note.totalMinor(), note.currency());
        String text = "Dear " + invoice.customer().name() + ",\n\nplease find attached credit note "
                + note.creditNoteNumber() + " of " + total + " against invoice " + invoice.invoiceNumber() + ".\n\n"
                + supplier.legalName() + "\n";
        return new Message("Credit note " + note.creditNoteNumber() + " from " + supplier.legalName() + ": " + total,
                text, note.creditNoteNumber() + ".pdf", CreditNoteDocument.html(note, invoice, supplier));
    }
}
