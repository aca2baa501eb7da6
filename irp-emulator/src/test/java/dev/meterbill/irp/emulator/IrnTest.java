package dev.meterbill.irp.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The IRN as the IRP computes it, checked against sha256sum of the same text. */
class IrnTest {

    @Test
    void isTheSha256OfSupplierGstinFinancialYearTypeAndNumber() {
        // printf '%s' "29AAACM4321B1Z02026-27INVMB2627-000001" | sha256sum
        assertThat(IrpEmulator.irn("29AAACM4321B1Z0", "2026-27", "INV", "MB2627-000001"))
                .isEqualTo("21cc028afe9da3a3531a3397fb6fa93e95043b35ed34c7ea205c091f70e82708");
    }

    @Test
    void theFinancialYearRunsFromAprilToMarch() {
        assertThat(IrpEmulator.financialYear(LocalDate.of(2026, 3, 31))).isEqualTo("2025-26");
        assertThat(IrpEmulator.financialYear(LocalDate.of(2026, 4, 1))).isEqualTo("2026-27");
        assertThat(IrpEmulator.financialYear(LocalDate.of(2099, 12, 31))).isEqualTo("2099-00");
    }
}
