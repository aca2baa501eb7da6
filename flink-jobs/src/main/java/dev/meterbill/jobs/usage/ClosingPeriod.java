package dev.meterbill.jobs.usage;

/**
 * A period whose finalisation is decided but not yet durable: its month totals, frozen ({@code null}
 * when the period had no on-time event), and the id of the last snapshot taken before the decision.
 */
public record ClosingPeriod(long afterSnapshot, UsageAccumulator month) {}
