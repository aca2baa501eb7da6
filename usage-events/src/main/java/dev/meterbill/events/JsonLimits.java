package dev.meterbill.events;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the JSON parser of every boundary (gateway, job, billing API) accepts before our own checks
 * run (docs/api.md): numbers of at most {@value #MAX_NUMBER_LENGTH} characters, strings of at most
 * {@value #MAX_STRING_LENGTH} characters, field names of at most {@value #MAX_NAME_LENGTH}, at most
 * {@value #MAX_NESTING_DEPTH} levels of nesting. A number's exponent is not bounded by the parser;
 * {@link Decimals} bounds it before any arithmetic.
 */
public final class JsonLimits {

    public static final int MAX_NUMBER_LENGTH = 100;
    /** Fields have lower limits of their own; this bounds what the parser buffers at all. */
    public static final int MAX_STRING_LENGTH = 100_000;
    public static final int MAX_NAME_LENGTH = 1_000;
    public static final int MAX_NESTING_DEPTH = 50;

    private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNameLength(MAX_NAME_LENGTH)
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .build();

    private JsonLimits() {}

    /** The limits, for a parser factory built by hand. */
    public static StreamReadConstraints constraints() {
        return CONSTRAINTS;
    }

    /** Applies the limits to {@code mapper}'s parser factory and returns it. */
    public static <M extends ObjectMapper> M applyTo(M mapper) {
        mapper.getFactory().setStreamReadConstraints(CONSTRAINTS);
        return mapper;
    }
}
