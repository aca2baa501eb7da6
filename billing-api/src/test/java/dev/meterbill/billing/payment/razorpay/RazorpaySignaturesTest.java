package dev.meterbill.billing.payment.razorpay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.razorpay.emulator.WebhookSigner;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RazorpaySignaturesTest {

    private static final String SECRET = "whsec_test";
    private static final byte[] BODY = "{\"event\":\"payment.captured\",\"note\":\"₹ Zoë 支払い\"}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void aWebhookSignatureIsTheHexHmacOfTheExactBytes() {
        assertThat(RazorpaySignatures.sign(SECRET, BODY)).isEqualTo(WebhookSigner.sign(SECRET, BODY)).hasSize(64);
        assertThat(RazorpaySignatures.webhookVerifies(BODY, WebhookSigner.sign(SECRET, BODY), SECRET)).isTrue();
    }

    @Test
    void theSameTextInAnotherEncodingDoesNotVerify() {
        String text = new String(BODY, StandardCharsets.UTF_8);
        String latin1Signature = WebhookSigner.sign(SECRET, text.getBytes(StandardCharsets.ISO_8859_1));

        assertThat(RazorpaySignatures.webhookVerifies(BODY, latin1Signature, SECRET)).isFalse();
    }

    @Test
    void eitherTheCurrentOrThePreviousSecretVerifiesDuringARotation() {
        String signedWithOld = WebhookSigner.sign("old", BODY);

        assertThat(RazorpaySignatures.webhookVerifies(BODY, signedWithOld, "new", "old")).isTrue();
        assertThat(RazorpaySignatures.webhookVerifies(BODY, signedWithOld, "new", null)).isFalse();
        assertThat(RazorpaySignatures.webhookVerifies(BODY, signedWithOld, "new", "")).isFalse();
    }

    @Test
    void missingOrMalformedSignaturesNeverVerify() {
        assertThat(RazorpaySignatures.webhookVerifies(BODY, null, SECRET)).isFalse();
        assertThat(RazorpaySignatures.webhookVerifies(BODY, "", SECRET)).isFalse();
        assertThat(RazorpaySignatures.webhookVerifies(BODY, "zz", SECRET)).isFalse();
        assertThat(RazorpaySignatures.webhookVerifies(BODY, WebhookSigner.sign(SECRET, BODY))).as("no secret").isFalse();
    }

    @Test
    void aCheckoutSignatureSignsOrderIdPipePaymentIdWithTheKeySecret() {
        String signature = WebhookSigner.sign("key_secret",
                "order_ABC|pay_DEF".getBytes(StandardCharsets.UTF_8));

        assertThat(RazorpaySignatures.checkoutVerifies("order_ABC", "pay_DEF", signature, "key_secret")).isTrue();
        assertThat(RazorpaySignatures.checkoutVerifies("order_ABC", "pay_XYZ", signature, "key_secret")).isFalse();
        assertThat(RazorpaySignatures.checkoutVerifies("order_ABC", "pay_DEF", signature, "other")).isFalse();
        assertThat(RazorpaySignatures.checkoutVerifies("order_ABC", "pay_DEF", signature.toUpperCase(), "key_secret"))
                .as("hex case does not matter").isTrue();
    }
}
