package dev.meterbill.billing.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import dev.meterbill.events.TextRules;
import java.io.IOException;

/**
 * Every string of every request body: a JSON string, and text PostgreSQL can store exactly as sent
 * ({@link TextRules}). Length limits are the fields' own (validators, docs/api.md).
 */
final class StorableStringDeserializer extends StdScalarDeserializer<String> {

    StorableStringDeserializer() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.hasToken(JsonToken.VALUE_STRING)) {
            return (String) context.handleUnexpectedToken(String.class, parser);
        }
        String text = parser.getText();
        if (!TextRules.isStorable(text)) {
            throw new RefusedValueException(parser, TextRules.UNSTORABLE);
        }
        return text;
    }
}
