package dev.meterbill.billing.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.meterbill.events.JsonLimits;
import java.math.BigDecimal;

/**
 * The one Jackson configuration of the API: responses, request bodies, audit states and Razorpay's JSON.
 *
 * <p>Reading is bounded before any of our code sees a value: the parser refuses numbers, strings, field
 * names and nesting beyond the limits every boundary shares ({@link JsonLimits}); a decimal with more than {@value #MAX_DECIMAL_DIGITS}
 * digits or decimal places, or an exponent beyond that, is refused before anything rescales it
 * ({@code 1e-20000000} costs nothing to refuse and seconds to round); every string must be storable
 * text (no NUL, no unpaired surrogate); and values never change type on the way in (no number read
 * as a string, no fraction truncated to a whole number).
 */
public final class Json {

    /** A decimal may have at most this many digits, and a scale (decimal places, or a negative exponent) within ±this. */
    public static final int MAX_DECIMAL_DIGITS = 100;

    private Json() {}

    public static ObjectMapper newMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(JsonLimits.constraints())
                .build();
        SimpleModule bounds = new SimpleModule("meterbill-bounds")
                .addDeserializer(String.class, new StorableStringDeserializer())
                .addDeserializer(BigDecimal.class, new BoundedDecimalDeserializer());
        return JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .addModule(bounds)
                // Instants as ISO-8601 strings, never epoch numbers.
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Quantities are exact decimals: 0.3 stays 0.3 and 1E+3 is written as 1000.
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                // {"amountMinor":100.9} is a mistake to report, not 100 paise.
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // A number is not a string and a string is not a number: wrong types are refused, not converted.
                // Above all, no text becomes null: "" or "\u0000" for amountMinor must not mean "refund everything".
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfigDefaults(config -> config
                        .setAcceptBlankAsEmpty(false)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                // A typo in a field name is an error the caller should see, not a silently ignored field.
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }
}
