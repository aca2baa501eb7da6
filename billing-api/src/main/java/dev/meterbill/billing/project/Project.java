package dev.meterbill.billing.project;

import java.time.Instant;
import java.util.UUID;

/** A metered product of an organisation; usage is recorded per project. */
public record Project(UUID id, UUID organisationId, String name, Instant createdAt) {}
