package dev.meterbill.billing.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.meterbill.billing.error.ValidationException;
import io.javalin.http.Context;
import io.javalin.http.UnsupportedMediaTypeResponse;
import java.io.IOException;
import java.util.Locale;

/** Reads a JSON request body into a record, turning every way it can be wrong into a 400 or 415. */
public final class JsonBody {

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
        T value;
        try {
            value = json.readValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            throw ValidationException.ofField(path(e), "is not a known field");
        } catch (MismatchedInputException e) {
            String field = path(e);
            if (field.isEmpty()) {
                throw new ValidationException("The request body must be a JSON object");
            }
            throw ValidationException.ofField(field, "has the wrong type");
        } catch (JsonProcessingException e) {
            throw new ValidationException("The request body is not valid JSON");
        } catch (IOException e) {
            throw new ValidationException("The request body could not be read");
        }
        if (value == null) {
            throw new ValidationException("The request body must be a JSON object");
        }
        return value;
    }

    private static void requireJsonContentType(String contentType) {
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw new UnsupportedMediaTypeResponse("Send the body as Content-Type: application/json");
        }
    }

    /** The JSON path of the offending field, e.g. {@code address} or {@code events[3].timestamp}. */
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
        return path.toString();
    }
}
