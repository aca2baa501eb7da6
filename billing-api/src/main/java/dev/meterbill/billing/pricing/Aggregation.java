package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.util.Locale;

/** How a charge turns a period's usage into one quantity; each reads one usage_aggregates column. */
public enum Aggregation {
    /** sum_value: the total of all event values. */
    SUM,
    /** event_count: how many events arrived. */
    COUNT,
    /** max_value: the peak, e.g. concurrent seats. */
    MAX,
    /** latest_value: the last reported value by event time, e.g. storage at period end. */
    LATEST,
    /**
     * event_count of the rows of a unique_count metric definition: each distinct value is counted once per project,
     * period and group (docs/metering.md). Only a charge on such a definition has it.
     */
    UNIQUE_COUNT;

    public BigDecimal quantityOf(UsageQuantities usage) {
        return switch (this) {
            case SUM -> usage.sum();
            case COUNT, UNIQUE_COUNT -> BigDecimal.valueOf(usage.count());
            case MAX -> usage.max();
            case LATEST -> usage.latest();
        };
    }

    /** The name used in the API and the schema, e.g. {@code sum}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for an unknown name */
    public static Aggregation fromWire(String name) {
        for (Aggregation aggregation : values()) {
            if (aggregation.wireName().equals(name)) {
                return aggregation;
            }
        }
        throw new IllegalArgumentException("unknown aggregation " + name);
    }
}
