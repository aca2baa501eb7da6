package dev.meterbill.billing.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterbill.billing.error.ValidationException;
import dev.meterbill.billing.payment.PaymentHandler.RefundRequest;
import dev.meterbill.billing.plan.PlanRequest;
import dev.meterbill.events.JsonLimits;
import dev.meterbill.events.TextRules;
import dev.meterbill.service.FieldError;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The mapper bounds every request body before a handler sees it, and names the refused field. */
class JsonBodyTest {

    private final JsonBody body = new JsonBody(Json.newMapper());

    static Stream<Arguments> refusedFields() {
        String plan = "{\"name\":\"P\",\"charges\":[{\"metricName\":\"m\",\"aggregation\":\"sum\","
                + "\"model\":\"per_unit\",\"unitPrice\":%s}]}";
        return Stream.of(
                Arguments.of("nulInAString", "{\"name\":\"a\\u0000b\"}", PlanRequest.class, "name", TextRules.UNSTORABLE),
                Arguments.of("loneHighSurrogate", "{\"name\":\"a\\ud800\"}", PlanRequest.class, "name", TextRules.UNSTORABLE),
                Arguments.of("loneLowSurrogate", "{\"name\":\"\\udc00a\"}", PlanRequest.class, "name", TextRules.UNSTORABLE),
                Arguments.of("reversedPair", "{\"name\":\"\\ude00\\ud83d\"}", PlanRequest.class, "name", TextRules.UNSTORABLE),
                Arguments.of("nulDeepInAnArray", plan.formatted("1").replace("\"m\"", "\"m\\u0000\""), PlanRequest.class,
                        "charges[0].metricName", TextRules.UNSTORABLE),
                Arguments.of("numberWhereTextBelongs", "{\"name\":123}", PlanRequest.class, "name", "has the wrong type"),
                Arguments.of("textWhereADecimalBelongs", "{\"minimumCommitment\":\"twelve\"}", PlanRequest.class,
                        "minimumCommitment", "must be a decimal number"),
                Arguments.of("numericStringWithAnExtremeExponent", "{\"minimumCommitment\":\"1e-20000000\"}",
                        PlanRequest.class, "minimumCommitment", BoundedDecimalDeserializer.OUT_OF_BOUNDS),
                Arguments.of("textWhereAWholeNumberBelongs", "{\"amountMinor\":\"12\"}", RefundRequest.class,
                        "amountMinor", "must be a whole number (no fraction, no exponent)"),
                // blank text is not "absent": a refund of "" must not become a refund of everything
                Arguments.of("emptyTextForAWholeNumber", "{\"amountMinor\":\"\"}", RefundRequest.class,
                        "amountMinor", "must be a whole number (no fraction, no exponent)"),
                Arguments.of("blankTextForAWholeNumber", "{\"amountMinor\":\"   \"}", RefundRequest.class,
                        "amountMinor", "must be a whole number (no fraction, no exponent)"),
                Arguments.of("nulForAWholeNumber", "{\"olderThanMinutes\":\"\\u0000\"}",
                        dev.meterbill.billing.payment.PaymentHandler.ReconcileRequest.class, "olderThanMinutes",
                        "must be a whole number (no fraction, no exponent)"),
                Arguments.of("emptyTextForADecimal", "{\"amount\":\"\"}", RefundRequest.class, "amount",
                        "must be a decimal number"),
                Arguments.of("tinyExponent", "{\"minimumCommitment\":1e-20000000}", PlanRequest.class, "minimumCommitment",
                        BoundedDecimalDeserializer.OUT_OF_BOUNDS),
                Arguments.of("hugeExponent", plan.formatted("1e999999"), PlanRequest.class, "charges[0].unitPrice",
                        BoundedDecimalDeserializer.OUT_OF_BOUNDS),
                Arguments.of("negativeHugeExponent", "{\"amount\":-1E+999999}", RefundRequest.class, "amount",
                        BoundedDecimalDeserializer.OUT_OF_BOUNDS),
                Arguments.of("fractionOfAPaisa", "{\"amountMinor\":100.9}", RefundRequest.class, "amountMinor",
                        "must be a whole number (no fraction, no exponent)"),
                Arguments.of("exponentForAWholeNumber", "{\"amountMinor\":1e2}", RefundRequest.class, "amountMinor",
                        "must be a whole number (no fraction, no exponent)"),
                Arguments.of("beyondALong", "{\"amountMinor\":9223372036854775808}", RefundRequest.class, "amountMinor",
                        "is out of range"),
                Arguments.of("fortyDigitWholeNumber", "{\"amountMinor\":1234567890123456789012345678901234567890}",
                        RefundRequest.class, "amountMinor", "is out of range"),
                Arguments.of("unknownFieldWithNul", "{\"re\\u0000ason\":\"x\"}", RefundRequest.class, "re\uFFFDason",
                        "is not a known field"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedFields")
    void refusesTheValueAndNamesTheField(String rule, String json, Class<?> type, String field, String message) {
        assertThatThrownBy(() -> body.parse(json.getBytes(StandardCharsets.UTF_8), type))
                .isInstanceOfSatisfying(ValidationException.class, e ->
                        assertThat(e.fieldErrors()).containsExactly(new FieldError(field, message)));
    }

    @Test
    void aValidSurrogatePairIsTextLikeAnyOther() {
        PlanRequest request = body.parse("{\"name\":\"Plan \\ud83d\\ude00 \u0928\u092e\u0938\u094d\u0924\u0947\"}"
                .getBytes(StandardCharsets.UTF_8), PlanRequest.class);

        assertThat(request.name()).isEqualTo("Plan \uD83D\uDE00 \u0928\u092e\u0938\u094d\u0924\u0947");
    }

    @Test
    void decimalsWithinTheBoundsAreExactAsNumbersAndAsNumericStrings() {
        RefundRequest number = body.parse("{\"amount\":1E+2}".getBytes(StandardCharsets.UTF_8), RefundRequest.class);
        RefundRequest text = body.parse("{\"amount\":\"0.30\"}".getBytes(StandardCharsets.UTF_8), RefundRequest.class);

        assertThat(number.amount()).isEqualByComparingTo(new BigDecimal("100"));
        assertThat(text.amount()).isEqualTo(new BigDecimal("0.30"));
    }

    @Test
    void aNumberLongerThanTheParserReadsIsRefusedAsAWhole() {
        String json = "{\"amount\":" + "1".repeat(JsonLimits.MAX_NUMBER_LENGTH + 1) + "}";

        assertThatThrownBy(() -> body.parse(json.getBytes(StandardCharsets.UTF_8), RefundRequest.class))
                .isInstanceOf(ValidationException.class).hasMessage(JsonBody.LIMITS);
    }

    @Test
    void nestingBeyondTheLimitIsRefusedAsAWhole() {
        String deep = "[".repeat(JsonLimits.MAX_NESTING_DEPTH + 1) + "]".repeat(JsonLimits.MAX_NESTING_DEPTH + 1);

        assertThatThrownBy(() -> body.parse(("{\"charges\":" + deep + "}").getBytes(StandardCharsets.UTF_8),
                PlanRequest.class)).isInstanceOf(ValidationException.class);
    }

    @Test
    void aStringLongerThanTheParserReadsIsRefused() {
        String json = "{\"reason\":\"" + "x".repeat(JsonLimits.MAX_STRING_LENGTH + 1) + "\"}";

        assertThatThrownBy(() -> body.parse(json.getBytes(StandardCharsets.UTF_8), RefundRequest.class))
                .isInstanceOfSatisfying(ValidationException.class, e ->
                        assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("reason"));
    }

    @Test
    void refusingAnExtremeExponentCostsNothing() {
        byte[] json = "{\"minimumCommitment\":1e-20000000}".getBytes(StandardCharsets.UTF_8);
        long started = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            assertThatThrownBy(() -> body.parse(json, PlanRequest.class)).isInstanceOf(ValidationException.class);
        }
        // a thousand refusals in well under a second; one rescale of this value took seconds
        assertThat(System.nanoTime() - started).isLessThan(2_000_000_000L);
    }
}
