package dev.meterbill.billing.plan;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.ConflictException;
import dev.meterbill.billing.error.ForbiddenException;
import dev.meterbill.billing.error.NotFoundException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Pricing plans: the operator defines them; an organisation may read the plans it is subscribed to.
 * A plan in use (referenced by a subscription or an invoice) is immutable, in code and in the
 * database; changes are new versions under the same name.
 */
public record PricingPlanService(Transactions transactions, PricingPlanRepository plans, AuditLog auditLog) {

    static final String ENTITY_TYPE = "pricing_plan";

    /** Refuses a caller who may not define plans (403); handlers call it before reading the body. */
    public void authoriseCreate(Caller caller) {
        requireOperator(caller, "define pricing plans");
    }

    /**
     * Refuses a caller who may not change or version the plan: 404 when it cannot even see it, 403
     * otherwise. Handlers call it before reading the body.
     */
    public void authoriseChange(Caller caller, UUID id) {
        requireOperatorOnPlan(caller, id, "change pricing plans");
    }

    /** Creates version 1 of a new plan name. */
    public PlanView create(Caller caller, String requestId, PlanDefinition definition) {
        authoriseCreate(caller);
        UUID id = UUID.randomUUID();
        try {
            return transactions.inTransaction(c -> {
                plans.insert(c, id, definition.name(), 1, definition);
                PlanView view = view(c, id);
                auditLog.record(c, AuditEntry.created(caller.actor(), requestId, null, ENTITY_TYPE, id, view));
                return view;
            });
        } catch (ConflictException e) {
            if (PricingPlanRepository.UNIQUE_NAME_VERSION.equals(e.constraint())) {
                throw new ConflictException("A plan named '" + definition.name()
                        + "' exists already; create a new version of it instead", e.constraint(), e);
            }
            throw e;
        }
    }

    /** The plan, if the caller may see it. */
    public PlanView get(Caller caller, UUID id) {
        return transactions.readOnly(c -> {
            requireVisible(c, caller, id);
            return view(c, id);
        });
    }

    /** The metric definitions a plan charge may price, by key. */
    public Map<String, DefinedMetric> definedMetrics() {
        return transactions.readOnly(plans::definedMetrics);
    }

    /** Plans newest version first per name: all of them for the operator, the subscribed ones for an organisation. */
    public List<PlanView> list(Caller caller, String name) {
        return transactions.readOnly(c -> {
            List<UUID> ids = plans.listIds(c, caller.isOperator() ? null : caller.organisationId(), name);
            Map<UUID, PricingPlan> found = plans.findAll(c, ids);
            List<PlanView> views = new ArrayList<>();
            for (UUID id : ids) {
                views.add(PlanView.of(found.get(id), plans.isInUse(c, id)));
            }
            return views;
        });
    }

    /** Replaces the definition of a plan nobody uses yet; a plan in use is a conflict. */
    public PlanView update(Caller caller, String requestId, UUID id, PlanRequest request) {
        requireOperatorOnPlan(caller, id, "change pricing plans");
        return transactions.inTransaction(c -> {
            String name = plans.lockName(c, id).orElseThrow(() -> NotFoundException.of("Pricing plan", id));
            PlanDefinition definition = PlanValidator.validate(request, false, name, plans.definedMetrics(c));
            if (plans.isInUse(c, id)) {
                throw new ConflictException("Pricing plan " + id + " is in use and cannot change; create a new version"
                        + " with POST /api/v1/pricing-plans/" + id + "/versions");
            }
            PlanView before = view(c, id);
            plans.replace(c, id, definition);
            PlanView after = view(c, id);
            auditLog.record(c, new AuditEntry(caller.actor(), null, ENTITY_TYPE + ".updated", ENTITY_TYPE,
                    id.toString(), before, after, requestId));
            return after;
        });
    }

    /** Creates the next version of the plan's name with a new definition. */
    public PlanView createVersion(Caller caller, String requestId, UUID basedOn, PlanRequest request) {
        requireOperatorOnPlan(caller, basedOn, "version pricing plans");
        UUID id = UUID.randomUUID();
        return transactions.inTransaction(c -> {
            PricingPlan base = plans.find(c, basedOn).orElseThrow(() -> NotFoundException.of("Pricing plan", basedOn));
            PlanDefinition definition = PlanValidator.validate(request, false, base.name(), plans.definedMetrics(c));
            int version = plans.nextVersion(c, base.name());
            plans.insert(c, id, base.name(), version, definition);
            PlanView view = view(c, id);
            auditLog.record(c, new AuditEntry(caller.actor(), null, ENTITY_TYPE + ".version_created", ENTITY_TYPE,
                    id.toString(), null, Map.of("basedOn", basedOn, "plan", view), requestId));
            return view;
        });
    }

    private PlanView view(Connection c, UUID id) throws SQLException {
        PricingPlan plan = plans.find(c, id).orElseThrow(() -> NotFoundException.of("Pricing plan", id));
        return PlanView.of(plan, plans.isInUse(c, id));
    }

    private void requireVisible(Connection c, Caller caller, UUID id) throws SQLException {
        if (!caller.isOperator() && !plans.isVisibleTo(c, id, caller.organisationId())) {
            throw NotFoundException.of("Pricing plan", id);
        }
    }

    /** An organisation that cannot see the plan learns nothing about it (404); one that can is refused (403). */
    private void requireOperatorOnPlan(Caller caller, UUID id, String what) {
        if (!caller.isOperator()) {
            transactions.readOnly(c -> {
                requireVisible(c, caller, id);
                return null;
            });
            requireOperator(caller, what);
        }
    }

    private static void requireOperator(Caller caller, String what) {
        if (!caller.isOperator()) {
            throw new ForbiddenException("Only the operator can " + what);
        }
    }
}
