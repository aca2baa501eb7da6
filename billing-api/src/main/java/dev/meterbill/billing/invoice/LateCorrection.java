package dev.meterbill.billing.invoice;

import java.time.YearMonth;

/** Late usage of {@code period} that lowered what it owed by {@code amountMinor} (before GST): a credit note. */
public record LateCorrection(YearMonth period, String description, long amountMinor) {}
