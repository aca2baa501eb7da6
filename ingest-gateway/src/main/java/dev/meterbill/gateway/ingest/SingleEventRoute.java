package dev.meterbill.gateway.ingest;

import dev.meterbill.events.IncomingEvent;
import dev.meterbill.gateway.apikey.ProjectIdentity;
import dev.meterbill.gateway.http.ProblemException;
import dev.meterbill.service.ProblemDetails;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/ingest}, one event, served on Jetty's own handler API in front of Javalin; every other request
 * passes through to Javalin. This is the route a producer calls once per event, so it is written without blocking:
 * the body is read, the event validated and handed to Kafka, and the 202 written when the broker acknowledged it, all
 * on callbacks, with no thread waiting and no servlet state machine in between (docs/benchmarks.md measures what the
 * servlet layer cost). The rules and answers are {@link IngestHandler}'s, the refusals the same problem+json.
 */
public final class SingleEventRoute extends Handler.Wrapper {

    public static final String PATH = "/api/v1/ingest";
    private static final Logger LOG = LoggerFactory.getLogger(SingleEventRoute.class);

    private final IngestHandler rules;
    private final IngestService service;
    private final Executor answers;
    private final AtomicInteger inFlight;

    /**
     * @param answers runs the answer once the broker acknowledged (the server's threads, never Kafka's I/O thread)
     * @param inFlight the gateway's gauge of requests in progress
     */
    public SingleEventRoute(IngestHandler rules, IngestService service, Executor answers, AtomicInteger inFlight) {
        this.rules = rules;
        this.service = service;
        this.answers = answers;
        this.inFlight = inFlight;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!PATH.equals(Request.getPathInContext(request)) || !HttpMethod.POST.is(request.getMethod())) {
            return super.handle(request, response, callback);
        }
        inFlight.incrementAndGet();
        Callback done = Callback.from(callback, inFlight::decrementAndGet);
        try {
            ProjectIdentity project = service.authenticate(IngestHandler.bearer(request.getHeaders().get(HttpHeader.AUTHORIZATION)));
            String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            rules.checkTypeAndLength(contentType, request.getLength(), IngestHandler.MAX_SINGLE_BYTES, 1, CloudEventMapping.STRUCTURED);
            // one byte over the limit tells a too-large body without a declared length from one at the limit
            Content.Source.asByteArrayAsync(request, IngestHandler.MAX_SINGLE_BYTES + 1)
                    .exceptionally(readFailure -> {
                        throw unreadable(readFailure);
                    })
                    .thenCompose(bytes -> ingest(project, contentType, bytes))
                    .thenAcceptAsync(id -> accepted(response, id, done), answers)
                    .exceptionally(failure -> {
                        refused(request, response, done, failure);
                        return null;
                    });
        } catch (RuntimeException e) {
            refuseUnread(request, response, done, e);
        }
        return true;
    }

    /**
     * Refuses a request before its body was read. A refusal written while the client is still sending is lost when the
     * connection closes on the unread rest (the client sees a reset, not the 413 or 401), so a body of declared length
     * up to {@link IngestHandler#MAX_BATCH_BYTES} (what the gateway reads for a batch anyway) is read and dropped first.
     */
    private void refuseUnread(Request request, Response response, Callback done, RuntimeException refusal) {
        long declared = request.getLength();
        if (declared <= 0 || declared > IngestHandler.MAX_BATCH_BYTES) {
            refused(request, response, done, refusal);
            return;
        }
        Content.Source.consumeAll(request, Callback.from(() -> refused(request, response, done, refusal), done::failed));
    }

    private CompletableFuture<UUID> ingest(ProjectIdentity project, String contentType, byte[] bytes) {
        IncomingEvent event = rules.single(contentType, bytes);
        return service.ingestOne(project, event);
    }

    private static void accepted(Response response, UUID id, Callback done) {
        response.setStatus(202);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(("{\"eventId\":\"" + id + "\"}").getBytes(StandardCharsets.US_ASCII)), done);
    }

    private void refused(Request request, Response response, Callback done, Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof IOException) {
            done.failed(cause); // the client went away while sending its body: nobody to answer
            return;
        }
        String path = Request.getPathInContext(request);
        ProblemDetails problem;
        if (cause instanceof ProblemException e) {
            if (e.retryAfterSeconds() != null) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, e.retryAfterSeconds());
            }
            problem = e.toProblem(path);
        } else {
            LOG.error("Unhandled failure of POST {}", path, cause);
            problem = ProblemDetails.of(500, "internal-error", "Internal server error", "The request failed; it was not accepted.", path);
        }
        if (response.isCommitted()) {
            done.failed(cause);
            return;
        }
        response.setStatus(problem.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemDetails.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(problem.toJson()), done);
    }

    /**
     * Why the body could not be read: Jetty refuses a body over the read's limit (one without a declared length, or a
     * longer one than declared) with an IllegalStateException, which is a 413; anything else (the client went away) is
     * passed on.
     */
    private RuntimeException unreadable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof IllegalStateException) {
            return rules.tooLarge("over " + IngestHandler.MAX_SINGLE_BYTES + " bytes", IngestHandler.MAX_SINGLE_BYTES, 1);
        }
        return failure instanceof CompletionException c ? c : new CompletionException(failure);
    }
}
