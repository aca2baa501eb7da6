package dev.meterbill.billing.payment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PaymentStatusTest {

    @ParameterizedTest(name = "{0} reported {1} becomes {2}")
    @CsvSource({
            "CREATED,    authorized, AUTHORIZED",
            "CREATED,    failed,     FAILED",
            "FAILED,     authorized, AUTHORIZED",
            "FAILED,     captured,   CAPTURED",
            "AUTHORIZED, captured,   CAPTURED",
            "AUTHORIZED, failed,     AUTHORIZED",
            "CAPTURED,   failed,     CAPTURED",
            "CAPTURED,   authorized, CAPTURED",
            "CAPTURED,   refunded,   CAPTURED",
            "AUTHORIZED, refunded,   CAPTURED",
            "CAPTURED,   created,    CAPTURED",
            "FAILED,     pending,    FAILED"})
    void aPaymentOnlyMovesForward(PaymentStatus stored, String reported, PaymentStatus expected) {
        assertThat(stored.advancedTo(PaymentStatus.fromRazorpay(reported))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} reported {1} becomes {2}")
    @CsvSource({
            "PENDING,   processed, PROCESSED",
            "PENDING,   failed,    FAILED",
            "FAILED,    processed, PROCESSED",
            "PROCESSED, failed,    PROCESSED",
            "PROCESSED, pending,   PROCESSED"})
    void aRefundOnlyMovesForward(RefundStatus stored, String reported, RefundStatus expected) {
        assertThat(stored.advancedTo(RefundStatus.fromRazorpay(reported))).isEqualTo(expected);
    }
}
