package dev.meterbill.billing.payment;

/**
 * A payment as the provider reports it, by a webhook or through its API: the one kind of fact the
 * ledger applies, whichever way it arrived. The adapter has checked that it fits the columns.
 *
 * @param status the provider's status; Razorpay's are created, authorized, captured, refunded and failed
 */
public record ProviderPayment(String id, String orderId, long amountMinor, String currency, String status,
                              String method, String errorDescription) {}
