package dev.meterbill.billing.subscription;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** An organisation bound to a pricing plan from the first day of a period until the next subscription starts. */
public record Subscription(UUID id, UUID organisationId, UUID pricingPlanId, LocalDate startsOn, Instant createdAt) {}
