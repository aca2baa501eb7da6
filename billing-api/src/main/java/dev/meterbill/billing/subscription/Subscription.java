package dev.meterbill.billing.subscription;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * An organisation bound to a pricing plan from the first day of a period until the next subscription
 * starts or until {@code endsOn}, billing nothing before {@code trialEndsOn}. Both are exclusive days of
 * the billing timezone and may be null.
 */
public record Subscription(UUID id, UUID organisationId, UUID pricingPlanId, LocalDate startsOn, LocalDate endsOn,
                           LocalDate trialEndsOn, Instant createdAt) {}
