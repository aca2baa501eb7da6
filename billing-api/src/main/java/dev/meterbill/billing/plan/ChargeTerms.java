package dev.meterbill.billing.plan;

import java.math.BigDecimal;

/**
 * What a plan charge says beside its price: the services accounting code of what it sells, and the limit of its
 * metric per period (entitlements): {@code hard} (our user refuses beyond it, and {@code entitlement.exhausted}
 * fires) or {@code soft} (reported, never refused). Null fields: none.
 */
public record ChargeTerms(String sac, BigDecimal limit, String limitKind) {

    public static final ChargeTerms NONE = new ChargeTerms(null, null, null);

    public boolean isEmpty() {
        return sac == null && limit == null;
    }
}
