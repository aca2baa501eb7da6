package dev.meterbill.billing.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import dev.meterbill.events.JsonLimits;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Every decimal of every request body: a JSON number, or a numeric string (exact decimals, as the
 * gateway takes them), within a generous sanity bound of
 * {@value Json#MAX_DECIMAL_DIGITS} digits and a scale within ±{@value Json#MAX_DECIMAL_DIGITS}. The
 * check reads only precision and scale, so {@code 1e-20000000} or {@code 1e999999} is refused as
 * cheaply as it was parsed; the fields' own bounds ({@link dev.meterbill.events.Decimals}) follow.
 */
final class BoundedDecimalDeserializer extends StdScalarDeserializer<BigDecimal> {

    static final String OUT_OF_BOUNDS = "must have at most " + Json.MAX_DECIMAL_DIGITS + " significant digits, at most "
            + Json.MAX_DECIMAL_DIGITS + " decimal places and no exponent above " + Json.MAX_DECIMAL_DIGITS;

    BoundedDecimalDeserializer() {
        super(BigDecimal.class);
    }

    @Override
    public BigDecimal deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        BigDecimal value;
        if (parser.hasToken(JsonToken.VALUE_NUMBER_INT) || parser.hasToken(JsonToken.VALUE_NUMBER_FLOAT)) {
            value = parser.getDecimalValue();
        } else if (parser.hasToken(JsonToken.VALUE_STRING)) {
            value = fromText(parser);
        } else {
            return (BigDecimal) context.handleUnexpectedToken(BigDecimal.class, parser);
        }
        if (!withinBounds(value)) {
            throw new RefusedValueException(parser, OUT_OF_BOUNDS);
        }
        return value;
    }

    /** A numeric string, held to the parser's number length; "NaN", "1,5" and blanks are not numbers. */
    private static BigDecimal fromText(JsonParser parser) throws IOException {
        String text = parser.getText();
        if (text.length() > JsonLimits.MAX_NUMBER_LENGTH) {
            throw new RefusedValueException(parser, "must be a number of at most " + JsonLimits.MAX_NUMBER_LENGTH + " characters");
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new RefusedValueException(parser, "must be a decimal number");
        }
    }

    static boolean withinBounds(BigDecimal value) {
        return value.precision() <= Json.MAX_DECIMAL_DIGITS && Math.abs((long) value.scale()) <= Json.MAX_DECIMAL_DIGITS;
    }
}
