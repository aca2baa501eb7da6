package dev.meterbill.billing.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * A JSON value the mapper refuses on our rules (unstorable text, an out-of-bounds decimal). Jackson
 * prepends the JSON path as it propagates, so {@link JsonBody} can name the field; the message is
 * what the field breaks.
 */
public final class RefusedValueException extends JsonMappingException {

    RefusedValueException(JsonParser parser, String message) {
        super(parser, message);
    }
}
