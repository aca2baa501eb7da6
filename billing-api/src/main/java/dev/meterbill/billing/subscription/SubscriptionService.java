package dev.meterbill.billing.subscription;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.ConflictException;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.error.ForbiddenException;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.billing.error.ValidationException;
import dev.meterbill.billing.period.PeriodCalendar;
import dev.meterbill.billing.period.ServiceDays;
import dev.meterbill.billing.plan.PricingPlan;
import dev.meterbill.billing.plan.PricingPlanRepository;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Binds organisations to pricing plans. Subscriptions start on the first day of a period (a calendar
 * month in the organisation's timezone). The first subscription may start on any first of a month;
 * a change of plan takes effect at a period not yet started, the next one at the earliest, so a
 * running or finished period never changes price. Only the operator changes subscriptions.
 */
public record SubscriptionService(Transactions transactions, SubscriptionRepository subscriptions,
                                  PricingPlanRepository plans, AuditLog auditLog, Clock clock) {

    static final String ENTITY_TYPE = "subscription";
    /** Subscriptions start within these dates: every date arithmetic and the DATE column stay far from their limits. */
    public static final LocalDate EARLIEST_START = LocalDate.of(2000, 1, 1);
    public static final LocalDate LATEST_START = LocalDate.of(2999, 12, 1);

    /** The subscription in force today and those scheduled after it. */
    public record Overview(UUID organisationId, Subscription current, List<Subscription> upcoming) {}

    /** Refuses a caller who may not change the organisation's plan: 404 for another tenant, 403 for itself. */
    public void authoriseSubscribe(Caller caller, UUID organisationId) {
        requireVisible(caller, organisationId);
        if (!caller.isOperator()) {
            throw new ForbiddenException("Only the operator can change an organisation's pricing plan");
        }
    }

    /** When an ended subscription stops: at the end of the running period, today, or on a given day. */
    public enum EndAt { PERIOD_END, NOW }

    /** Schedules (or first sets) the organisation's plan from {@code startsOn}, free until {@code trialEndsOn}. */
    public Subscription subscribe(Caller caller, String requestId, UUID organisationId, UUID planId,
                                  LocalDate startsOn, LocalDate trialEndsOn) {
        authoriseSubscribe(caller, organisationId);
        return transactions.inTransaction(c -> {
            String[] organisation = subscriptions.lockOrganisation(c, organisationId, clock.instant())
                    .orElseThrow(() -> NotFoundException.of("Organisation", organisationId));
            String currency = organisation[0];
            ZoneId zone = ZoneId.of(organisation[1]);
            FieldErrors errors = new FieldErrors();
            Optional<PricingPlan> plan = plans.find(c, planId);
            if (plan.isEmpty()) {
                errors.add("pricingPlanId", "does not name a pricing plan");
            } else if (!plan.get().currency().equals(currency)) {
                errors.add("pricingPlanId", "is priced in " + plan.get().currency()
                        + " but the organisation is billed in " + currency);
            }
            List<Subscription> existing = subscriptions.list(c, organisationId);
            LocalDate earliest = PeriodCalendar.nextPeriodStart(zone, clock.instant());
            if (!existing.isEmpty() && startsOn.isBefore(earliest)) {
                errors.add("startsOn", "must be " + earliest + " or later: a plan change takes effect at the next"
                        + " period, in the organisation's timezone " + zone.getId());
            }
            errors.throwIfAny();
            Optional<Subscription> replaced = existing.stream().filter(s -> s.startsOn().equals(startsOn)).findFirst();
            Subscription saved = subscriptions.upsert(c, UUID.randomUUID(), organisationId, planId, startsOn,
                    trialEndsOn);
            String action = replaced.isPresent() ? ENTITY_TYPE + ".replaced" : ENTITY_TYPE + ".created";
            auditLog.record(c, new AuditEntry(caller.actor(), organisationId, action, ENTITY_TYPE, saved.id().toString(),
                    replaced.orElse(null), saved, requestId));
            return saved;
        });
    }

    /**
     * Ends the organisation's subscription: at the end of the running period ({@code PERIOD_END}), after
     * today ({@code NOW}: today is still served and billed), or on {@code endsOn} (exclusive, today + 1 at
     * the earliest: a served day is never taken back). Plan changes scheduled from the end on are removed.
     * Ending again moves the end.
     *
     * @throws ConflictException when the organisation has no subscription to end
     */
    public Subscription end(Caller caller, String requestId, UUID organisationId, EndAt at, LocalDate endsOn) {
        authoriseSubscribe(caller, organisationId);
        return transactions.inTransaction(c -> {
            String[] organisation = subscriptions.lockOrganisation(c, organisationId, clock.instant())
                    .orElseThrow(() -> NotFoundException.of("Organisation", organisationId));
            ZoneId zone = ZoneId.of(organisation[1]);
            LocalDate earliest = ServiceDays.endOfToday(clock.instant(), zone);
            LocalDate end = endsOn != null ? endsOn
                    : at == EndAt.NOW ? earliest : PeriodCalendar.nextPeriodStart(zone, clock.instant());
            if (end.isBefore(earliest)) {
                throw ValidationException.ofField("endsOn", "must be " + earliest
                        + " or later: days already served (today included, in the organisation's timezone "
                        + zone.getId() + ") are billed");
            }
            List<Subscription> all = subscriptions.list(c, organisationId);
            Subscription ending = all.stream().filter(s -> s.startsOn().isBefore(end))
                    .reduce((first, second) -> second)
                    .orElseThrow(() -> new ConflictException("Organisation " + organisationId
                            + " has no subscription running before " + end + " to end"));
            for (Subscription later : all) {
                if (!later.startsOn().isBefore(end)) {
                    subscriptions.delete(c, later.id());
                    auditLog.record(c, new AuditEntry(caller.actor(), organisationId, ENTITY_TYPE + ".cancelled",
                            ENTITY_TYPE, later.id().toString(), later, null, requestId));
                }
            }
            Subscription ended = subscriptions.end(c, ending.id(), end);
            auditLog.record(c, new AuditEntry(caller.actor(), organisationId, ENTITY_TYPE + ".ended", ENTITY_TYPE,
                    ended.id().toString(), ending, ended, requestId));
            return ended;
        });
    }

    public Overview overview(Caller caller, UUID organisationId) {
        requireVisible(caller, organisationId);
        return transactions.readOnly(c -> {
            String[] organisation = subscriptions.billingOf(c, organisationId, clock.instant())
                    .orElseThrow(() -> NotFoundException.of("Organisation", organisationId));
            LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneId.of(organisation[1]));
            List<Subscription> all = subscriptions.list(c, organisationId);
            Subscription current = all.stream().filter(s -> !s.startsOn().isAfter(today))
                    .reduce((first, second) -> second)
                    .filter(s -> s.endsOn() == null || s.endsOn().isAfter(today)).orElse(null);
            List<Subscription> upcoming = all.stream().filter(s -> s.startsOn().isAfter(today)).toList();
            return new Overview(organisationId, current, upcoming);
        });
    }

    private static void requireVisible(Caller caller, UUID organisationId) {
        if (!caller.mayAccess(organisationId)) {
            throw NotFoundException.of("Organisation", organisationId);
        }
    }
}
