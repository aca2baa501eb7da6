package dev.meterbill.billing.organisation;

import java.time.Instant;
import java.util.UUID;

/** A billed tenant, as stored. */
public record Organisation(UUID id, String name, String billingEmail, String currency, String timezone,
                           String gstin, String stateCode, String address, Instant createdAt) {}
