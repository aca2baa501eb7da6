package dev.meterbill.billing.invoice;

import java.util.Locale;

/** What an invoice line bills. */
public enum LineType {
    /** Usage of one charge by one project in the invoiced period. */
    USAGE,
    /** A flat fee per period of the plan, billed once per organisation. */
    FLAT,
    /** The top-up to the plan's minimum commitment. */
    MINIMUM_COMMITMENT,
    /** Usage of an earlier period that arrived after that period was final. */
    ADJUSTMENT,
    /** A discount granted to the customer, a negative amount before GST. */
    DISCOUNT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LineType fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
