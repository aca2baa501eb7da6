package dev.meterbill.billing.invoice;

import java.time.Instant;
import java.util.UUID;

/**
 * An organisation whose invoice for a period could not be generated, as the operator sees it.
 *
 * @param attempts   how many runs tried and failed
 * @param resolvedAt when the invoice was finally generated; null while the failure is open
 * @param invoiceId  the invoice that resolved it
 */
public record GenerationFailure(UUID id, UUID organisationId, String period, String reason, int attempts,
                                Instant firstFailedAt, Instant lastFailedAt, Instant resolvedAt, UUID invoiceId) {}
