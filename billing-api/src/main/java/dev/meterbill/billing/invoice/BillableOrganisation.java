package dev.meterbill.billing.invoice;

import java.time.ZoneId;
import java.util.UUID;

/** An organisation due an invoice for a period, with what billing it needs and the plan in force. */
public record BillableOrganisation(UUID id, String currency, ZoneId timezone, String stateCode, String gstin,
                                   UUID pricingPlanId) {}
