package dev.meterbill.billing.creditnote;

import java.util.Locale;

/** Why a credit note was issued; a fixed list, so that reports can group them. */
public enum CreditReason {
    OVERCHARGE, REFUND, SERVICE_ISSUE, DISCOUNT, LATE_USAGE_CORRECTION, OTHER,
    /** Issued by a re-rating of an invoiced period (issue 18), never asked for in a request. */
    RERATING;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return null for an unknown name */
    public static CreditReason fromWire(String name) {
        for (CreditReason reason : values()) {
            if (reason.wireName().equals(name)) {
                return reason;
            }
        }
        return null;
    }
}
