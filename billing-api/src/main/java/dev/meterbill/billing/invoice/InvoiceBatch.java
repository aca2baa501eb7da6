package dev.meterbill.billing.invoice;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.deal.DealRepository;
import dev.meterbill.billing.deal.PriceOverride;
import dev.meterbill.billing.error.UnpriceableInvoiceException;
import dev.meterbill.billing.invoice.InvoiceRepository.NewInvoice;
import dev.meterbill.billing.period.PeriodCalendar;
import dev.meterbill.billing.period.ServiceDays;
import dev.meterbill.billing.plan.PricingPlan;
import dev.meterbill.billing.plan.PricingPlanRepository;
import dev.meterbill.billing.pricing.Discount;
import dev.meterbill.billing.pricing.PlanCharge;
import dev.meterbill.billing.subscription.SubscriptionRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Generates the invoices of one chunk of organisations inside one transaction, with a handful of
 * statements whatever the chunk size: usage, late events, invoices, lines, late-event marks and audit
 * rows are each read or written in bulk. An organisation whose invoice cannot be priced is left out
 * with its reason ({@link Outcome#failed}); the others of the chunk are invoiced.
 */
final class InvoiceBatch {

    /** What happened to each organisation of a chunk; {@code failed} holds why an invoice could not be priced. */
    record Outcome(Map<UUID, UUID> created, List<UUID> existing, Map<UUID, String> skipped, Map<UUID, String> failed) {

        static Outcome failed(UUID organisationId, String reason) {
            return new Outcome(Map.of(), List.of(), Map.of(), Map.of(organisationId, reason));
        }

        static Outcome merge(List<Outcome> outcomes) {
            Map<UUID, UUID> created = new LinkedHashMap<>();
            List<UUID> existing = new ArrayList<>();
            Map<UUID, String> skipped = new LinkedHashMap<>();
            Map<UUID, String> failed = new LinkedHashMap<>();
            for (Outcome outcome : outcomes) {
                created.putAll(outcome.created());
                existing.addAll(outcome.existing());
                skipped.putAll(outcome.skipped());
                failed.putAll(outcome.failed());
            }
            return new Outcome(created, existing, skipped, failed);
        }
    }

    /**
     * MANUAL invoices once the period has ended; SCHEDULED also waits for final usage or the deadline; ESTIMATE
     * prices a period at any time and writes nothing (the upcoming invoice).
     */
    enum Mode { MANUAL, SCHEDULED, ESTIMATE }

    /** A chunk priced: the drafts, the late events each accounts for, who is not due and who cannot be priced. */
    record Priced(List<NewInvoice> drafts, Map<UUID, List<UUID>> events, Map<UUID, List<UUID>> reratings,
                  Map<UUID, String> skipped, Map<UUID, String> failed) {}

    private final InvoiceRunRepository runs;
    private final InvoiceRepository invoices;
    private final PricingPlanRepository plans;
    private final SubscriptionRepository subscriptions;
    private final DealRepository deals;
    private final LateCorrections corrections;
    private final InvoiceCalculator calculator;
    private final AuditLog auditLog;
    private final String supplierStateCode;
    private final String supplierGstin;
    private final Duration deadline;
    /** Plans in force are in use, hence immutable: caching them is safe. */
    private final Map<UUID, PricingPlan> planCache = new ConcurrentHashMap<>();

    InvoiceBatch(InvoiceRunRepository runs, InvoiceRepository invoices, PricingPlanRepository plans,
                 SubscriptionRepository subscriptions, DealRepository deals, LateCorrections corrections,
                 InvoiceCalculator calculator, AuditLog auditLog, String supplierStateCode, String supplierGstin,
                 Duration deadline) {
        this.deals = deals;
        this.corrections = corrections;
        this.runs = runs;
        this.invoices = invoices;
        this.plans = plans;
        this.subscriptions = subscriptions;
        this.calculator = calculator;
        this.auditLog = auditLog;
        this.supplierStateCode = supplierStateCode;
        this.supplierGstin = supplierGstin;
        this.deadline = deadline;
    }

    Outcome process(Connection c, YearMonth period, List<BillableOrganisation> chunk, Mode mode, Instant now,
                    String actor, String requestId) throws SQLException {
        Priced priced = price(c, period, chunk, mode, now);
        if (priced.drafts().isEmpty()) {
            return new Outcome(Map.of(), List.of(), priced.skipped(), priced.failed());
        }
        List<NewInvoice> drafts = priced.drafts();
        Map<UUID, List<UUID>> eventsByOrganisation = priced.events();
        Map<UUID, UUID> created = invoices.insertDrafts(c, drafts);
        Map<UUID, List<InvoiceLine>> lines = new LinkedHashMap<>();
        Map<UUID, List<UUID>> marks = new LinkedHashMap<>();
        Map<UUID, List<UUID>> reratingMarks = new LinkedHashMap<>();
        List<AuditEntry> audit = new ArrayList<>();
        List<UUID> existing = new ArrayList<>();
        for (NewInvoice draft : drafts) {
            UUID orgId = draft.organisation().id();
            UUID invoiceId = created.get(orgId);
            if (invoiceId == null) {
                existing.add(orgId);
                continue;
            }
            lines.put(invoiceId, draft.draft().lines());
            List<UUID> events = eventsByOrganisation.get(orgId);
            if (!events.isEmpty()) {
                marks.put(invoiceId, events);
            }
            List<UUID> reratings = priced.reratings().getOrDefault(orgId, List.of());
            if (!reratings.isEmpty()) {
                reratingMarks.put(invoiceId, reratings);
            }
            audit.add(new AuditEntry(actor, orgId, "invoice.generated", "invoice", invoiceId.toString(), null,
                    summary(invoiceId, draft), requestId));
        }
        invoices.insertLines(c, lines);
        runs.markAdjusted(c, marks);
        runs.markReratingsAdjusted(c, reratingMarks);
        for (NewInvoice draft : drafts) {
            if (created.containsKey(draft.organisation().id())) {
                for (LateCorrection correction : draft.draft().corrections()) {
                    corrections.credit(c, draft.organisation().id(), correction.period(), correction.amountMinor(),
                            correction.description(), actor, requestId);
                }
            }
        }
        auditLog.recordAll(c, audit);
        return new Outcome(created, existing, priced.skipped(), priced.failed());
    }

    /**
     * Prices the invoices of a chunk as they stand: usage (of the days served, for a period billed in part),
     * pending late events, the plan with the organisation's prices, its discounts. Writes nothing.
     */
    Priced price(Connection c, YearMonth period, List<BillableOrganisation> chunk, Mode mode, Instant now)
            throws SQLException {
        Map<UUID, List<UsageRow>> usage = runs.usage(c, period, chunk.stream().map(BillableOrganisation::id).toList());
        for (BillableOrganisation org : chunk) {
            ServiceDays days = org.serviceDays(period);
            if (!days.isWholePeriod()) {
                usage.put(org.id(), runs.usageOfDays(c, org.id(), days.from(), days.to()));
            }
        }
        List<BillableOrganisation> due = new ArrayList<>();
        Map<UUID, String> skipped = new LinkedHashMap<>();
        for (BillableOrganisation org : chunk) {
            String reason = notDueReason(org, period, usage.getOrDefault(org.id(), List.of()), mode, now);
            if (reason == null) {
                due.add(org);
            } else {
                skipped.put(org.id(), reason);
            }
        }
        if (due.isEmpty()) {
            return new Priced(List.of(), Map.of(), Map.of(), skipped, Map.of());
        }
        Map<UUID, List<LateEvent>> late = new LinkedHashMap<>();
        for (LateEvent event : runs.pendingLateEvents(c, period, due.stream().map(BillableOrganisation::id).toList(),
                mode != Mode.ESTIMATE)) {
            late.computeIfAbsent(event.organisationId(), k -> new ArrayList<>()).add(event);
        }
        List<UUID> dueIds = due.stream().map(BillableOrganisation::id).toList();
        Map<UUID, List<ReratingAdjustment>> reratings = runs.pendingReratingAdjustments(c, period, dueIds, mode != Mode.ESTIMATE);
        Map<UUID, List<UUID>> reratingsByOrganisation = new LinkedHashMap<>();
        Map<UUID, Map<UUID, PriceOverride>> overrides = deals.overridesInForce(c, dueIds, period);
        Map<UUID, List<Discount>> discounts = deals.discountsInForce(c, dueIds, period);
        List<NewInvoice> drafts = new ArrayList<>();
        Map<UUID, List<UUID>> eventsByOrganisation = new LinkedHashMap<>();
        Map<UUID, String> failed = new LinkedHashMap<>();
        for (BillableOrganisation org : due) {
            PricingPlan plan = PriceOverride.applyAll(plan(c, org.pricingPlanId()), overrides.get(org.id()));
            List<LateAdjustment> adjustments = new ArrayList<>();
            List<UUID> events = adjust(c, org, late.getOrDefault(org.id(), List.of()), adjustments);
            InvoiceDraft draft;
            List<ReratingAdjustment> reratingAdjustments = reratings.getOrDefault(org.id(), List.of());
            try {
                draft = calculator.calculate(org, plan, usage.getOrDefault(org.id(), List.of()), adjustments,
                        reratingAdjustments, org.serviceDays(period), discounts.getOrDefault(org.id(), List.of()));
            } catch (UnpriceableInvoiceException e) {
                // nothing of this organisation is written; its late events stay pending for the retry
                failed.put(org.id(), e.getMessage());
                continue;
            }
            eventsByOrganisation.put(org.id(), events);
            reratingsByOrganisation.put(org.id(), reratingAdjustments.stream().map(ReratingAdjustment::reratingId).toList());
            drafts.add(new NewInvoice(UUID.randomUUID(), org, period, plan.id(), plan.currency(), draft,
                    supplierStateCode, supplierGstin));
        }
        return new Priced(drafts, eventsByOrganisation, reratingsByOrganisation, skipped, failed);
    }

    /**
     * The period's own invoice as {@code usage} and plan {@code planId} price it, with the organisation's prices and
     * discounts of that period and no late adjustments: what a re-rating compares. Writes nothing.
     */
    InvoiceDraft reprice(Connection c, BillableOrganisation org, YearMonth period, UUID planId, List<UsageRow> usage)
            throws SQLException {
        List<UUID> id = List.of(org.id());
        PricingPlan plan = PriceOverride.applyAll(plan(c, planId), deals.overridesInForce(c, id, period).get(org.id()));
        return calculator.calculate(org, plan, usage, List.of(), org.serviceDays(period),
                deals.discountsInForce(c, id, period).getOrDefault(org.id(), List.of()));
    }

    private String notDueReason(BillableOrganisation org, YearMonth period, List<UsageRow> usage, Mode mode,
                                Instant now) {
        if (mode == Mode.ESTIMATE) {
            return null;
        }
        if (!PeriodCalendar.hasEnded(period, org.timezone(), now)) {
            return "the period " + period + " has not ended in the organisation's timezone " + org.timezone().getId();
        }
        boolean usageFinal = !usage.isEmpty() && usage.stream().allMatch(UsageRow::isFinal);
        if (mode == Mode.SCHEDULED && !PeriodCalendar.isDue(period, org.timezone(), now, usageFinal, deadline)) {
            return "usage of " + period + " is not final and the deadline has not passed";
        }
        return null;
    }

    /**
     * Prices the organisation's pending late events under the plan in force in their period and
     * returns the ids of the events this invoice accounts for. Events of a metric the plan does not
     * charge are accounted for without a line; events of a period without any plan stay pending.
     */
    private List<UUID> adjust(Connection c, BillableOrganisation org, List<LateEvent> events,
                              List<LateAdjustment> adjustments) throws SQLException {
        if (events.isEmpty()) {
            return List.of();
        }
        record Key(UUID projectId, String metric, YearMonth period) {}
        Map<Key, List<LateEvent>> groups = new LinkedHashMap<>();
        events.stream()
                .sorted(Comparator.comparing(LateEvent::period).thenComparing(LateEvent::eventTime))
                .forEach(e -> groups.computeIfAbsent(new Key(e.projectId(), e.metricName(), e.period()),
                        k -> new ArrayList<>()).add(e));
        List<UUID> accounted = new ArrayList<>();
        Set<YearMonth> unpriced = new HashSet<>();
        for (Map.Entry<Key, List<LateEvent>> group : groups.entrySet()) {
            Key key = group.getKey();
            Optional<UUID> planId = unpriced.contains(key.period()) ? Optional.empty()
                    : subscriptions.planInForce(c, org.id(), key.period().atDay(1));
            if (planId.isEmpty()) {
                unpriced.add(key.period());
                continue;
            }
            PricingPlan plan = PriceOverride.applyAll(plan(c, planId.get()),
                    deals.overridesInForce(c, List.of(org.id()), key.period()).get(org.id()));
            Optional<PlanCharge> charge = plan.chargeFor(key.metric());
            group.getValue().forEach(e -> accounted.add(e.eventId()));
            if (charge.isPresent()) {
                LateUsage billed = runs.billedUsage(c, key.projectId(), key.metric(), key.period());
                LateUsage withLate = billed.plus(group.getValue());
                adjustments.add(new LateAdjustment(key.projectId(), runs.projectName(c, key.projectId()).orElse(null),
                        key.period(), charge.get(), billed.quantities(), withLate.quantities(), group.getValue().size(),
                        plan.sacOf(charge.get().definition().id()), key.metric()));
            }
        }
        return accounted;
    }

    private PricingPlan plan(Connection c, UUID id) throws SQLException {
        PricingPlan cached = planCache.get(id);
        if (cached == null) {
            cached = plans.find(c, id).orElseThrow(() -> new IllegalStateException("pricing plan " + id + " vanished"));
            planCache.put(id, cached);
        }
        return cached;
    }

    private static Map<String, Object> summary(UUID invoiceId, NewInvoice invoice) {
        InvoiceDraft draft = invoice.draft();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("id", invoiceId);
        summary.put("period", invoice.period().toString());
        summary.put("status", "draft");
        summary.put("currency", invoice.currency());
        summary.put("pricingPlanId", invoice.pricingPlanId());
        summary.put("lines", draft.lines().size());
        summary.put("subtotalMinor", draft.subtotalMinor());
        summary.put("cgstMinor", draft.tax().cgstMinor());
        summary.put("sgstMinor", draft.tax().sgstMinor());
        summary.put("igstMinor", draft.tax().igstMinor());
        summary.put("totalMinor", draft.totalMinor());
        return summary;
    }
}
