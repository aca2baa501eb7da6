package dev.meterbill.service;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers as problem+json: the ones Jetty gives before a request reaches Javalin
 * (a URI too long, headers too large, a path Jetty refuses as ambiguous) and the ones it gives for
 * a request Javalin did not answer. Clients then parse every error of both services one way.
 *
 * <p>Detail text comes from Jetty for 4xx (a reason phrase such as "URI Too Long"); a 5xx says
 * nothing but that the request failed, so no stack trace or exception text leaks.
 */
public final class JettyProblems extends ErrorHandler {

    private static final int MAX_INSTANCE_LENGTH = 200;
    private static final Map<Integer, String> SLUGS = Map.of(
            400, "bad-request",
            404, "not-found",
            405, "method-not-allowed",
            413, "payload-too-large",
            414, "uri-too-long",
            415, "unsupported-media-type",
            431, "request-header-fields-too-large",
            500, "internal-error",
            503, "unavailable");

    /** The problem an HTTP status and its reason become; a 5xx reveals nothing of its cause. */
    static ProblemDetails problem(int status, String reason, String instance) {
        String title = HttpStatus.getMessage(status);
        String detail = status >= 500 || reason == null || reason.isBlank()
                ? (status >= 500 ? "The request failed; it was not accepted." : title)
                : reason;
        return ProblemDetails.of(status, SLUGS.getOrDefault(status, "http-" + status), title, detail, instance);
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        byte[] body = problem(code, message, instance(request)).toJson();
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemDetails.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, ProblemDetails.CONTENT_TYPE);
        return ByteBuffer.wrap(problem(status, reason, null).toJson());
    }

    private static String instance(Request request) {
        try {
            String path = request.getHttpURI().getPath();
            if (path == null) {
                return null;
            }
            return path.length() > MAX_INSTANCE_LENGTH ? path.substring(0, MAX_INSTANCE_LENGTH) + "…" : path;
        } catch (RuntimeException unparseable) {
            return null;
        }
    }
}
