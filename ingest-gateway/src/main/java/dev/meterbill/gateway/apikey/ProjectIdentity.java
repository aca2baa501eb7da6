package dev.meterbill.gateway.apikey;

import java.util.UUID;

/** Who an ingest key belongs to, and the billing timezone stamped on the project's events. */
public record ProjectIdentity(UUID keyId, UUID projectId, UUID organisationId, String billingTimezone) {}
