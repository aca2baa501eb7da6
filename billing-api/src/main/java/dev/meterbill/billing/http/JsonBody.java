package dev.meterbill.billing.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.meterbill.billing.db.StorableText;
import dev.meterbill.billing.error.ValidationException;
import dev.meterbill.events.JsonLimits;
import io.javalin.http.Context;
import io.javalin.http.UnsupportedMediaTypeResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a JSON request body into a record, turning every way it can be wrong into a 400 naming the
 * field (or a 415). Handlers call it only after the caller is authenticated and authorised.
 */
public final class JsonBody {

    static final String LIMITS = "The request body exceeds the JSON limits of this API: nesting depth "
            + JsonLimits.MAX_NESTING_DEPTH + ", numbers of " + JsonLimits.MAX_NUMBER_LENGTH + " characters, strings of "
            + JsonLimits.MAX_STRING_LENGTH + " characters, field names of " + JsonLimits.MAX_NAME_LENGTH + " characters";
    private static final Set<Class<?>> WHOLE_NUMBERS = Set.of(Long.class, long.class, Integer.class, int.class);

    private final ObjectMapper json;

    public JsonBody(ObjectMapper json) {
        this.json = json;
    }

    public <T> T read(Context ctx, Class<T> type) {
        requireJsonContentType(ctx.contentType());
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0) {
            throw new ValidationException("The request body is empty; send a JSON object");
        }
        T value = parse(body, type);
        if (value == null) {
            throw new ValidationException("The request body must be a JSON object");
        }
        return value;
    }

    /** Parses bytes into {@code type}; the same errors as {@link #read}, for bodies taken from elsewhere. */
    public <T> T parse(byte[] body, Class<T> type) {
        try {
            return json.readValue(body, type);
        } catch (RefusedValueException e) {
            throw field(e, e.getOriginalMessage());
        } catch (UnrecognizedPropertyException e) {
            throw field(e, "is not a known field");
        } catch (MismatchedInputException e) {
            if (path(e).isEmpty()) {
                throw new ValidationException("The request body must be a JSON object");
            }
            throw field(e, WHOLE_NUMBERS.contains(e.getTargetType())
                    ? "must be a whole number (no fraction, no exponent)" : "has the wrong type");
        } catch (JsonMappingException e) {
            // a parser failure inside a field: a whole number beyond its range, a value beyond the limits
            if (path(e).isEmpty()) {
                throw new ValidationException(e.getCause() instanceof StreamConstraintsException ? LIMITS
                        : "The request body is not valid JSON");
            }
            throw field(e, e.getCause() instanceof InputCoercionException ? "is out of range"
                    : e.getCause() instanceof StreamConstraintsException ? "exceeds the JSON limits of this API"
                    : "is not a valid value");
        } catch (StreamConstraintsException e) {
            throw new ValidationException(LIMITS);
        } catch (JsonProcessingException e) {
            throw new ValidationException("The request body is not valid JSON");
        } catch (IOException e) {
            throw new ValidationException("The request body could not be read");
        }
    }

    private static ValidationException field(JsonMappingException e, String message) {
        String path = path(e);
        return ValidationException.ofField(path.isEmpty() ? "body" : path, message);
    }

    private static void requireJsonContentType(String contentType) {
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw new UnsupportedMediaTypeResponse("Send the body as Content-Type: application/json");
        }
    }

    /**
     * The JSON path of the offending field, e.g. {@code address} or {@code events[3].timestamp}; a
     * field name that is itself unstorable is shown with U+FFFD in its place.
     */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return StorableText.of(path.toString(), JsonLimits.MAX_NAME_LENGTH);
    }
}
