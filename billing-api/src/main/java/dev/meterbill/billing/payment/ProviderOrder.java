package dev.meterbill.billing.payment;

import java.util.Map;

/** An order as the payment provider reports it; amounts in minor units. */
public record ProviderOrder(String id, long amountMinor, String currency, String receipt, String status,
                            Map<String, String> notes) {}
