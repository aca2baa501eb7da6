package dev.meterbill.billing.einvoice;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceRegistrations;
import dev.meterbill.billing.invoice.InvoiceRepository;
import dev.meterbill.billing.invoice.InvoiceStatus;
import dev.meterbill.billing.invoice.SupplierProfile;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * E-invoicing: registers issued B2B and export invoices at the IRP, crash-safe like the Razorpay order.
 *
 * <p>The invoice is issued and committed first (its number is durable); then, holding the invoice row lock
 * in a short transaction of its own (so concurrent retries queue), an invoice without an IRN is submitted.
 * The IRP refuses a document number registered before and names its IRN (error 2150): the registration is
 * then read back and adopted. So a crash or a lost answer anywhere leaves either no registration (the retry
 * registers) or one the retry adopts — never two IRNs. An IRP that does not answer leaves the invoice issued
 * with its IRN {@code pending}, retried by {@link #retryPending} (every {@code EINVOICE_RETRY_MINUTES}); a
 * refused document is {@code refused} with the IRP's reason, for the operator to correct.
 */
public final class EInvoiceService implements InvoiceRegistrations {

    private static final Logger LOG = LoggerFactory.getLogger(EInvoiceService.class);
    static final String ACTOR = "system:e-invoicing";

    private final Transactions transactions;
    private final InvoiceRepository invoices;
    private final EInvoiceProvider provider;
    private final SupplierProfile supplier;
    private final AuditLog auditLog;
    private final Clock clock;

    public EInvoiceService(Transactions transactions, InvoiceRepository invoices, EInvoiceProvider provider,
                           SupplierProfile supplier, AuditLog auditLog, Clock clock) {
        this.transactions = transactions;
        this.invoices = invoices;
        this.provider = provider;
        this.supplier = supplier;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    @Override
    public Invoice ensureRegistered(Invoice invoice, String actor, String requestId) {
        if (!applies(invoice)) {
            return invoice;
        }
        return transactions.inOwnTransaction(c -> {
            Invoice locked = invoices.find(c, invoice.id(), true).orElseThrow();
            if (!applies(locked) || (locked.eInvoice() != null && locked.eInvoice().irn() != null)) {
                return locked;
            }
            EInvoiceProvider.Registration registration;
            try {
                try {
                    registration = provider.register(EInvoiceDocument.of(locked, supplier));
                } catch (EInvoiceProvider.Duplicate duplicate) {
                    registration = provider.find(duplicate.irn());
                }
            } catch (EInvoiceProvider.Unavailable e) {
                invoices.markIrn(c, locked.id(), "pending", e.getMessage());
                LOG.warn("Invoice {}: the IRP did not register it now ({}); its IRN is pending", locked.invoiceNumber(),
                        e.getMessage());
                return invoices.find(c, locked.id(), false).orElseThrow();
            } catch (EInvoiceProvider.Refused e) {
                invoices.markIrn(c, locked.id(), "refused", e.getMessage());
                audit(c, locked, "invoice.irn_refused", Map.of("reason", e.getMessage()), actor, requestId);
                return invoices.find(c, locked.id(), false).orElseThrow();
            }
            invoices.storeIrn(c, locked.id(), registration.irn(), registration.ackNo(), registration.ackAt(),
                    registration.signedQr());
            audit(c, locked, "invoice.irn_registered", Map.of("irn", registration.irn(), "ackNo", registration.ackNo(),
                    "ackAt", registration.ackAt().toString()), actor, requestId);
            return invoices.find(c, locked.id(), false).orElseThrow();
        });
    }

    @Override
    public boolean cancel(Invoice invoice, String actor, String requestId) {
        if (invoice.eInvoice() == null || invoice.eInvoice().irn() == null
                || !"registered".equals(invoice.eInvoice().status())) {
            return false;
        }
        if (Duration.between(invoice.eInvoice().ackAt(), clock.instant()).compareTo(Duration.ofHours(24)) > 0) {
            return false;
        }
        try {
            provider.cancel(invoice.eInvoice().irn(), "4", "Invoice " + invoice.invoiceNumber() + " voided");
        } catch (EInvoiceProvider.Unavailable | EInvoiceProvider.Refused e) {
            LOG.warn("Invoice {}: the IRN could not be cancelled: {}", invoice.invoiceNumber(), e.getMessage());
            return false;
        }
        transactions.inOwnTransaction(c -> {
            invoices.markIrnCancelled(c, invoice.id());
            audit(c, invoice, "invoice.irn_cancelled", Map.of("irn", invoice.eInvoice().irn()), actor, requestId);
            return null;
        });
        return true;
    }

    /** Registers the invoices whose IRN is pending; one that fails again stays pending for the next run. */
    public int retryPending() {
        List<UUID> pending = transactions.readOnly(c -> invoices.pendingIrns(c, 500));
        int registered = 0;
        for (UUID id : pending) {
            Invoice invoice = transactions.readOnly(c -> invoices.find(c, id, false)).orElseThrow();
            Invoice after = ensureRegistered(invoice, ACTOR, null);
            registered += after.eInvoice() != null && after.eInvoice().irn() != null ? 1 : 0;
        }
        return registered;
    }

    /** E-invoicing is on, the invoice is issued (not a draft) and it is a B2B supply or an export. */
    private static boolean applies(Invoice invoice) {
        return invoice.status() != InvoiceStatus.DRAFT && invoice.status() != InvoiceStatus.VOID
                && invoice.supplierGstin() != null && EInvoiceDocument.applies(invoice);
    }

    private void audit(java.sql.Connection c, Invoice invoice, String action, Map<String, Object> details,
                       String actor, String requestId) throws java.sql.SQLException {
        Map<String, Object> after = new LinkedHashMap<>(details);
        after.put("invoiceNumber", invoice.invoiceNumber());
        auditLog.record(c, new AuditEntry(actor, invoice.organisationId(), action, "invoice", invoice.id().toString(),
                null, after, requestId));
    }
}
