package dev.meterbill.events;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the JSON parser of every boundary accepts before our own checks run (docs/api.md): numbers of
 * at most {@value #MAX_NUMBER_LENGTH} characters, strings of at most {@value #MAX_STRING_LENGTH}
 * characters, at most {@value #MAX_NESTING_DEPTH} levels of nesting. A number's exponent is not
 * bounded by the parser; {@link Decimals} bounds it before any arithmetic.
 */
public final class JsonLimits {

    public static final int MAX_NUMBER_LENGTH = 100;
    public static final int MAX_STRING_LENGTH = 1_048_576;
    public static final int MAX_NESTING_DEPTH = 64;

    private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .build();

    private JsonLimits() {}

    /** Applies the limits to {@code mapper}'s parser factory and returns it. */
    public static <M extends ObjectMapper> M applyTo(M mapper) {
        mapper.getFactory().setStreamReadConstraints(CONSTRAINTS);
        return mapper;
    }
}
