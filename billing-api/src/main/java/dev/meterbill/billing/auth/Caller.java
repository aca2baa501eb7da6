package dev.meterbill.billing.auth;

import java.util.Objects;
import java.util.UUID;

/**
 * Who sent a request: the operator, or one organisation through its secret key.
 *
 * @param organisationId the caller's organisation; null for the operator
 */
public record Caller(Kind kind, UUID organisationId) {

    /** The two kinds of billing-api caller. */
    public enum Kind { OPERATOR, ORGANISATION }

    private static final Caller OPERATOR = new Caller(Kind.OPERATOR, null);

    public Caller {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.ORGANISATION) != (organisationId != null)) {
            throw new IllegalArgumentException("an organisation caller, and only one, carries an organisation id");
        }
    }

    public static Caller operator() {
        return OPERATOR;
    }

    public static Caller organisation(UUID organisationId) {
        return new Caller(Kind.ORGANISATION, Objects.requireNonNull(organisationId, "organisationId"));
    }

    public boolean isOperator() {
        return kind == Kind.OPERATOR;
    }

    /** The operator may act on every organisation; an organisation only on itself. */
    public boolean mayAccess(UUID organisation) {
        return isOperator() || organisationId.equals(organisation);
    }

    /** The actor recorded in audit logs: {@code operator} or {@code org:<id>}. */
    public String actor() {
        return isOperator() ? "operator" : "org:" + organisationId;
    }
}
