package dev.meterbill.billing.pricing;

/** A plan's minimum spend per period: usage below it is topped up by a separate line. */
public final class MinimumCommitment {

    private MinimumCommitment() {}

    /** The top-up owed when the period's usage charges fall short of the commitment; never negative. */
    public static long shortfall(long commitmentMinor, long usageChargesMinor) {
        return Math.max(0, commitmentMinor - usageChargesMinor);
    }
}
