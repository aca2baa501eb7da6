package dev.meterbill.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterbill.billing.BillingApiConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BillingSettingsTest {

    @Test
    void defaultsBillFromKarnatakaAtEighteenPercent() {
        BillingSettings settings = BillingSettings.defaults();

        assertThat(settings.supplierStateCode()).isEqualTo("29");
        assertThat(settings.supplierGstin()).isNull();
        assertThat(settings.gstRatePercent()).isEqualByComparingTo("18");
        assertThat(settings.invoiceNumberPrefix()).isEqualTo("MB");
        assertThat(settings.invoiceDueDays()).isEqualTo(15);
        assertThat(settings.invoiceRunInterval()).isEqualTo(Duration.ofMinutes(60));
        assertThat(settings.invoiceDeadline()).isEqualTo(Duration.ofHours(48));
        assertThat(settings.invoiceRunWorkers()).isEqualTo(4);
    }

    @Test
    void everyVariableOverridesItsDefault() {
        BillingSettings settings = BillingSettings.fromEnv(Map.of(
                "BILLING_SUPPLIER_STATE_CODE", "27",
                "BILLING_SUPPLIER_GSTIN", "27ABCDE1234F1Z0",
                "BILLING_GST_RATE_PERCENT", "12.5",
                "BILLING_INVOICE_NUMBER_PREFIX", "ACME",
                "BILLING_INVOICE_DUE_DAYS", "30",
                "BILLING_INVOICE_RUN_INTERVAL_MINUTES", "0",
                "BILLING_INVOICE_DEADLINE_HOURS", "6",
                "BILLING_INVOICE_RUN_WORKERS", "2"));

        assertThat(settings).isEqualTo(new BillingSettings("27", "27ABCDE1234F1Z0", new BigDecimal("12.5"), "ACME", 30,
                Duration.ZERO, Duration.ofHours(6), 2));
    }

    @Test
    void theConfigurationReadsTheSettingsFromTheSameEnvironment() {
        BillingApiConfig config = BillingApiConfig.fromEnv(
                Map.of("BILLING_ADMIN_TOKEN", "t", "BILLING_GST_RATE_PERCENT", "5", "RAZORPAY_ENABLED", "false"), false);

        assertThat(config.billing().gstRatePercent()).isEqualByComparingTo("5");
    }

    @Test
    void aGstinFromAnotherStateThanTheSupplierStateIsRefused() {
        assertThatThrownBy(() -> BillingSettings.fromEnv(Map.of("BILLING_SUPPLIER_GSTIN", "27ABCDE1234F1Z0")))
                .hasMessageContaining("BILLING_SUPPLIER_GSTIN");
    }

    @Test
    void badValuesNameTheirVariable() {
        assertThatThrownBy(() -> BillingSettings.fromEnv(Map.of("BILLING_SUPPLIER_STATE_CODE", "KA")))
                .hasMessageContaining("BILLING_SUPPLIER_STATE_CODE");
        assertThatThrownBy(() -> BillingSettings.fromEnv(Map.of("BILLING_GST_RATE_PERCENT", "eighteen")))
                .hasMessageContaining("BILLING_GST_RATE_PERCENT");
        assertThatThrownBy(() -> BillingSettings.fromEnv(Map.of("BILLING_GST_RATE_PERCENT", "180")))
                .hasMessageContaining("BILLING_GST_RATE_PERCENT");
        assertThatThrownBy(() -> BillingSettings.fromEnv(Map.of("BILLING_INVOICE_NUMBER_PREFIX", "INVOICE")))
                .hasMessageContaining("BILLING_INVOICE_NUMBER_PREFIX");
        assertThatThrownBy(() -> BillingSettings.fromEnv(Map.of("BILLING_INVOICE_DEADLINE_HOURS", "-1")))
                .hasMessageContaining("BILLING_INVOICE_DEADLINE_HOURS");
        assertThatThrownBy(() -> BillingSettings.fromEnv(Map.of("BILLING_INVOICE_RUN_WORKERS", "0")))
                .hasMessageContaining("BILLING_INVOICE_RUN_WORKERS");
    }
}
