package dev.meterbill.billing.invoice;

import java.util.Locale;

/**
 * draft → issued → partially_paid → paid | void | uncollectible; an issued invoice's content never
 * changes, and a paid or void one keeps its status.
 */
public enum InvoiceStatus {
    DRAFT, ISSUED, PARTIALLY_PAID, PAID, VOID, UNCOLLECTIBLE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for an unknown status */
    public static InvoiceStatus fromWire(String name) {
        for (InvoiceStatus status : values()) {
            if (status.wireName().equals(name)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown invoice status " + name);
    }
}
