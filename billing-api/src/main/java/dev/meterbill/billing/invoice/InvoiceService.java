package dev.meterbill.billing.invoice;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.delivery.EmailOutbox;
import dev.meterbill.billing.error.ConflictException;
import dev.meterbill.billing.error.ForbiddenException;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.billing.organisation.OrganisationRepository;
import dev.meterbill.billing.period.PeriodCalendar;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/**
 * Reads invoices within the caller's tenancy and moves them through their life: the operator
 * generates, issues and voids; organisations read their own.
 */
public record InvoiceService(Transactions transactions, InvoiceRepository invoices, InvoiceGenerator generator,
                             InvoiceNumbers numbers, InvoiceOrders orders, InvoiceRegistrations registrations,
                             EmailOutbox emails, OrganisationRepository organisations, AuditLog auditLog,
                             Duration dueIn, Clock clock) {

    static final String ENTITY_TYPE = "invoice";

    /** What voiding did: a draft is discarded (deleted, to be regenerated), an issued invoice becomes void. */
    public record Voided(UUID id, UUID organisationId, String period, String invoiceNumber, String previousStatus,
                         String status) {}

    /**
     * Refuses a caller who may not generate invoices: 404 when it names another tenant's organisation,
     * 403 otherwise. The handler calls it before validating the body.
     */
    public void authoriseGenerate(Caller caller, UUID namedOrganisation) {
        if (namedOrganisation != null && !caller.mayAccess(namedOrganisation)) {
            throw NotFoundException.of("Organisation", namedOrganisation);
        }
        requireOperator(caller, "generate invoices");
    }

    /** Generates drafts for the period: for one organisation, or for all of them. */
    public InvoiceGenerator.RunResult generate(Caller caller, String requestId, YearMonth period, UUID organisationId) {
        if (organisationId != null) {
            if (!caller.mayAccess(organisationId)) {
                throw NotFoundException.of("Organisation", organisationId);
            }
            requireOperator(caller, "generate invoices");
            if (!transactions.readOnly(c -> organisations.exists(c, organisationId))) {
                throw NotFoundException.of("Organisation", organisationId);
            }
            return generator.generateFor(organisationId, period, caller.actor(), requestId);
        }
        requireOperator(caller, "generate invoices");
        return generator.generateAll(period, caller.actor(), requestId);
    }

    /**
     * The organisation's invoice for {@code period} (null: the period running in its timezone) as it would be
     * generated now: the organisation itself or the operator.
     */
    public UpcomingInvoiceView upcoming(Caller caller, UUID organisationId, YearMonth period) {
        if (!caller.mayAccess(organisationId)) {
            throw NotFoundException.of("Organisation", organisationId);
        }
        YearMonth estimated = period != null ? period : transactions.readOnly(c -> organisations.find(c, organisationId))
                .map(o -> PeriodCalendar.periodOf(clock.instant(), ZoneId.of(o.asOf(clock.instant()).timezone())))
                .orElseThrow(() -> NotFoundException.of("Organisation", organisationId));
        if (period != null && !transactions.readOnly(c -> organisations.exists(c, organisationId))) {
            throw NotFoundException.of("Organisation", organisationId);
        }
        return generator.estimate(organisationId, estimated);
    }

    public Invoice get(Caller caller, UUID id) {
        return transactions.readOnly(c -> visible(c, caller, id, false));
    }

    /** Invoices without lines; an organisation sees only its own, naming another one is not found. */
    public List<Invoice> list(Caller caller, UUID organisationId, YearMonth period, InvoiceStatus status, int limit,
                              int offset) {
        if (organisationId != null && !caller.mayAccess(organisationId)) {
            throw NotFoundException.of("Organisation", organisationId);
        }
        UUID scope = caller.isOperator() ? organisationId : caller.organisationId();
        return transactions.readOnly(c -> invoices.list(c, scope, period, status, limit, offset));
    }

    /**
     * Assigns the next number of the financial year and freezes the invoice, then gives it its Razorpay
     * order. Issuing an issued invoice again changes nothing and only makes sure the order exists, so a
     * retry after a timeout or crash is safe (docs/billing.md, "Payments").
     *
     * <p>The issue commits in a transaction of its own, also under an Idempotency-Key: the order's
     * receipt is the invoice number, which must be durable before Razorpay hears of it.
     *
     * @throws dev.meterbill.billing.error.PaymentProviderException when the invoice was issued but
     *         Razorpay did not create its order; retrying the issue is safe
     */
    public Invoice issue(Caller caller, String requestId, UUID id) {
        Invoice issued = transactions.inOwnTransaction(c -> {
            Invoice before = visible(c, caller, id, true);
            requireOperator(caller, "issue invoices");
            if (before.status() == InvoiceStatus.ISSUED || before.status() == InvoiceStatus.PARTIALLY_PAID) {
                return before.withoutLines();
            }
            if (before.status() != InvoiceStatus.DRAFT) {
                throw new ConflictException("Invoice " + id + " is " + before.status().wireName()
                        + "; only a draft can be issued");
            }
            invoices.markIssued(c, id, numbers.next(c, clock.instant()), dueIn);
            emails.enqueue(c, "invoice", id, before.organisationId());
            Invoice after = invoices.find(c, id, false).orElseThrow();
            auditLog.record(c, new AuditEntry(caller.actor(), after.organisationId(), ENTITY_TYPE + ".issued",
                    ENTITY_TYPE, id.toString(), InvoiceView.of(before.withoutLines(), false),
                    InvoiceView.of(after.withoutLines(), false), requestId));
            return new InvoiceBalances(invoices, auditLog).applyCredit(c, after, caller.actor(), requestId);
        });
        registrations.ensureRegistered(issued, caller.actor(), requestId);
        orders.ensureOrder(issued, caller.actor(), requestId);
        return transactions.readOnly(c -> invoices.find(c, id, false).orElseThrow());
    }

    /** Voids (or discards a draft); a registered IRN is then cancelled at the IRP, within its 24 hours. */
    public Voided voidInvoice(Caller caller, String requestId, UUID id) {
        Voided voided = voidOrDiscard(caller, requestId, id);
        if ("void".equals(voided.status())) {
            registrations.cancel(transactions.readOnly(c -> invoices.find(c, id, false)).orElseThrow(), caller.actor(),
                    requestId);
        }
        return voided;
    }

    private Voided voidOrDiscard(Caller caller, String requestId, UUID id) {
        return transactions.inTransaction(c -> {
            Invoice before = visible(c, caller, id, true);
            requireOperator(caller, "void invoices");
            InvoiceView beforeView = InvoiceView.of(before, true);
            switch (before.status()) {
                case DRAFT -> {
                    invoices.deleteDraft(c, id);
                    auditLog.record(c, new AuditEntry(caller.actor(), before.organisationId(),
                            ENTITY_TYPE + ".discarded", ENTITY_TYPE, id.toString(), beforeView, null, requestId));
                    return new Voided(id, before.organisationId(), before.period().toString(), null, "draft",
                            "discarded");
                }
                case ISSUED, PARTIALLY_PAID, UNCOLLECTIBLE -> {
                    invoices.markVoid(c, id);
                    Invoice after = invoices.find(c, id, false).orElseThrow();
                    auditLog.record(c, new AuditEntry(caller.actor(), before.organisationId(), ENTITY_TYPE + ".voided",
                            ENTITY_TYPE, id.toString(), InvoiceView.of(before.withoutLines(), false),
                            InvoiceView.of(after.withoutLines(), false), requestId));
                    return new Voided(id, before.organisationId(), before.period().toString(), before.invoiceNumber(),
                            before.status().wireName(), "void");
                }
                default -> throw new ConflictException("Invoice " + id + " is " + before.status().wireName()
                        + " and cannot be voided; corrections are new documents");
            }
        });
    }

    /** The invoice if it belongs to the caller's tenancy; a foreign id is not found, like an unknown one. */
    private Invoice visible(Connection c, Caller caller, UUID id, boolean forUpdate) throws SQLException {
        return invoices.find(c, id, forUpdate)
                .filter(invoice -> caller.mayAccess(invoice.organisationId()))
                .orElseThrow(() -> NotFoundException.of("Invoice", id));
    }

    private static void requireOperator(Caller caller, String what) {
        if (!caller.isOperator()) {
            throw new ForbiddenException("Only the operator can " + what);
        }
    }
}
