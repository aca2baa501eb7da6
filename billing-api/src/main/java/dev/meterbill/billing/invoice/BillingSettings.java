package dev.meterbill.billing.invoice;

import dev.meterbill.billing.organisation.Gstin;
import dev.meterbill.service.Env;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Invoicing and tax settings, read once from the environment; every value has a local-stack default.
 *
 * @param supplierStateCode   GST state code of the supplier ({@code BILLING_SUPPLIER_STATE_CODE}, 29 = Karnataka)
 * @param supplierGstin       the supplier's GSTIN, printed on invoices; optional ({@code BILLING_SUPPLIER_GSTIN})
 * @param gstRatePercent      GST rate ({@code BILLING_GST_RATE_PERCENT}, 18)
 * @param invoiceNumberPrefix 1-4 capital letters or digits before the financial year
 *                            ({@code BILLING_INVOICE_NUMBER_PREFIX}, MB)
 * @param invoiceDueDays      days from issue to due date ({@code BILLING_INVOICE_DUE_DAYS}, 15)
 * @param invoiceRunInterval  how often the scheduled invoice run looks for due periods; zero disables it
 *                            ({@code BILLING_INVOICE_RUN_INTERVAL_MINUTES}, 60)
 * @param invoiceDeadline     after a period's end, how long the scheduled run waits for usage to become
 *                            final before invoicing anyway ({@code BILLING_INVOICE_DEADLINE_HOURS}, 48)
 * @param invoiceRunWorkers   parallel workers of an invoice run ({@code BILLING_INVOICE_RUN_WORKERS}, 4)
 */
public record BillingSettings(String supplierStateCode, String supplierGstin, BigDecimal gstRatePercent,
                              String invoiceNumberPrefix, int invoiceDueDays, Duration invoiceRunInterval,
                              Duration invoiceDeadline, int invoiceRunWorkers) {

    public static final String SUPPLIER_STATE_CODE = "BILLING_SUPPLIER_STATE_CODE";
    public static final String SUPPLIER_GSTIN = "BILLING_SUPPLIER_GSTIN";
    public static final String GST_RATE_PERCENT = "BILLING_GST_RATE_PERCENT";
    public static final String INVOICE_NUMBER_PREFIX = "BILLING_INVOICE_NUMBER_PREFIX";
    public static final String INVOICE_DUE_DAYS = "BILLING_INVOICE_DUE_DAYS";
    public static final String INVOICE_RUN_INTERVAL_MINUTES = "BILLING_INVOICE_RUN_INTERVAL_MINUTES";
    public static final String INVOICE_DEADLINE_HOURS = "BILLING_INVOICE_DEADLINE_HOURS";
    public static final String INVOICE_RUN_WORKERS = "BILLING_INVOICE_RUN_WORKERS";

    private static final Pattern STATE_CODE = Pattern.compile("[0-9]{2}");
    private static final Pattern PREFIX = Pattern.compile("[A-Z0-9]{1,4}");

    public BillingSettings {
        if (supplierStateCode == null || !STATE_CODE.matcher(supplierStateCode).matches()) {
            throw new IllegalArgumentException(SUPPLIER_STATE_CODE + " must be a two-digit GST state code, was "
                    + supplierStateCode);
        }
        if (supplierGstin != null && (Gstin.violation(supplierGstin) != null
                || !supplierGstin.startsWith(supplierStateCode))) {
            throw new IllegalArgumentException(SUPPLIER_GSTIN + " must be a GSTIN (with its check character) starting with "
                    + SUPPLIER_STATE_CODE + " (" + supplierStateCode + ")");
        }
        if (gstRatePercent == null || gstRatePercent.signum() < 0 || gstRatePercent.compareTo(BigDecimal.valueOf(100)) > 0
                || gstRatePercent.stripTrailingZeros().scale() > 2) {
            throw new IllegalArgumentException(GST_RATE_PERCENT + " must be a percentage between 0 and 100 with at most"
                    + " two decimals, was " + gstRatePercent);
        }
        if (invoiceNumberPrefix == null || !PREFIX.matcher(invoiceNumberPrefix).matches()) {
            throw new IllegalArgumentException(INVOICE_NUMBER_PREFIX
                    + " must be 1-4 capital letters or digits (invoice numbers are at most 16 characters)");
        }
        if (invoiceNumberPrefix.startsWith(InvoiceNumbers.CREDIT_NOTE_PREFIX)) {
            throw new IllegalArgumentException(INVOICE_NUMBER_PREFIX + " must not start with "
                    + InvoiceNumbers.CREDIT_NOTE_PREFIX + ": that is the series of credit notes");
        }
        requireRange(invoiceDueDays, 0, 365, INVOICE_DUE_DAYS);
        if (invoiceRunInterval == null || invoiceRunInterval.isNegative()) {
            throw new IllegalArgumentException(INVOICE_RUN_INTERVAL_MINUTES + " must be 0 (off) or more minutes");
        }
        if (invoiceDeadline == null || invoiceDeadline.isNegative()) {
            throw new IllegalArgumentException(INVOICE_DEADLINE_HOURS + " must be 0 or more hours");
        }
        requireRange(invoiceRunWorkers, 1, 32, INVOICE_RUN_WORKERS);
    }

    /** The defaults: Karnataka, 18% GST, prefix MB, due in 15 days, hourly runs, 48-hour deadline, 4 workers. */
    public static BillingSettings defaults() {
        return fromEnv(Map.of());
    }

    public static BillingSettings fromEnv(Map<String, String> environment) {
        Env env = new Env(environment);
        return new BillingSettings(
                env.text(SUPPLIER_STATE_CODE, "29"),
                env.text(SUPPLIER_GSTIN, null),
                env.decimal(GST_RATE_PERCENT, "18"),
                env.text(INVOICE_NUMBER_PREFIX, "MB"),
                env.integer(INVOICE_DUE_DAYS, 15),
                Duration.ofMinutes(env.integer(INVOICE_RUN_INTERVAL_MINUTES, 60)),
                Duration.ofHours(env.integer(INVOICE_DEADLINE_HOURS, 48)),
                env.integer(INVOICE_RUN_WORKERS, 4));
    }

    /** The same settings with the scheduled invoice run switched off (tests drive runs explicitly). */
    public BillingSettings withoutScheduledRuns() {
        return withInvoiceRunInterval(Duration.ZERO);
    }

    public BillingSettings withInvoiceRunInterval(Duration interval) {
        return new BillingSettings(supplierStateCode, supplierGstin, gstRatePercent, invoiceNumberPrefix,
                invoiceDueDays, interval, invoiceDeadline, invoiceRunWorkers);
    }

    private static void requireRange(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}
