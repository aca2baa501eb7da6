package dev.meterbill.client;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends usage events to the ingest gateway from a producer's process.
 *
 * <pre>{@code
 * MeterbillClient meter = MeterbillClient.builder("https://ingest.example.com", System.getenv("METERBILL_KEY"))
 *         .onRejected(r -> log.warn("not metered: {}", r))
 *         .build();
 * meter.record(UsageEvent.of("api_calls", 1, "count").with("region", "in"));
 * meter.close(Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>{@link #record} never waits for the network: it puts the event in a bounded buffer. Sender threads take up to
 * 1,000 events (and at most 1 MiB) at a time, after waiting at most the linger for a batch to fill, and post them to
 * {@code /api/v1/ingest/batch}. Every event carries its idempotency key from the start, so a batch sent again after a
 * timeout, a 503 or a dropped connection is counted once. Answers:
 * <ul>
 *   <li>202: delivered.</li>
 *   <li>400: the events the problem names ({@code events[17].timestamp}) go to {@code onRejected} with their field
 *       errors and are never sent again; the rest of the batch is sent again at once.</li>
 *   <li>401, 403, 404, 415: the whole batch goes to {@code onRejected} (a wrong key or URL does not heal by
 *       retrying). 413: the batch is split in two.</li>
 *   <li>429, 5xx, no answer: sent again after an exponential backoff with full jitter (100 ms doubling to 30 s), never
 *       sooner than the answer's {@code Retry-After}; until delivered or until {@link #close} gives up.</li>
 * </ul>
 * When the buffer is full, {@link WhenFull#BLOCK} (the default) makes {@code record} wait up to its timeout and then
 * throw {@link BufferFullException}; {@link WhenFull#DROP} makes it return false and count the event as dropped.
 */
public final class MeterbillClient implements AutoCloseable {

    /** What {@link #record} does when the buffer is full. */
    public enum WhenFull { BLOCK, DROP }

    /** Thrown by {@link #record} when the buffer stayed full for the block timeout (policy {@link WhenFull#BLOCK}). */
    public static final class BufferFullException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BufferFullException(String message) {
            super(message);
        }
    }

    /** An event the gateway refused for good, with the reason for each field (or for the request). */
    public static final class Rejection {
        private final UsageEvent event;
        private final int status;
        private final Map<String, String> errors;

        Rejection(UsageEvent event, int status, Map<String, String> errors) {
            this.event = event;
            this.status = status;
            this.errors = Collections.unmodifiableMap(errors);
        }

        public UsageEvent event() {
            return event;
        }

        /** The gateway's HTTP status: 400 for a bad field, 401 for a bad key, …; 0 when no request could be made. */
        public int status() {
            return status;
        }

        /** Field of the event (metricName, timestamp, …; "request" when the whole request was refused) to reason. */
        public Map<String, String> errors() {
            return errors;
        }

        @Override
        public String toString() {
            return "Rejection{" + status + " " + errors + " of " + event + "}";
        }
    }

    /** What {@link #close} could not confirm: events never answered 202 nor refused (safe to send again later). */
    public static final class CloseResult {
        private final List<UsageEvent> undelivered;

        CloseResult(List<UsageEvent> undelivered) {
            this.undelivered = Collections.unmodifiableList(undelivered);
        }

        public boolean complete() {
            return undelivered.isEmpty();
        }

        public List<UsageEvent> undelivered() {
            return undelivered;
        }
    }

    /** Counters since the client was built. */
    public static final class Metrics {
        public final long recorded;
        public final long sent;
        public final long retried;
        public final long rejected;
        public final long dropped;
        public final long buffered;

        Metrics(long recorded, long sent, long retried, long rejected, long dropped, long buffered) {
            this.recorded = recorded;
            this.sent = sent;
            this.retried = retried;
            this.rejected = rejected;
            this.dropped = dropped;
            this.buffered = buffered;
        }

        @Override
        public String toString() {
            return "recorded " + recorded + ", sent " + sent + ", retried " + retried + ", rejected " + rejected
                    + ", dropped " + dropped + ", buffered " + buffered;
        }
    }

    public static Builder builder(String baseUrl, String apiKey) {
        return new Builder(baseUrl, apiKey);
    }

    /** Settings; each has a default fit for most producers. */
    public static final class Builder {
        private final String baseUrl;
        private final String apiKey;
        private int maxBatchEvents = 1_000;
        private int maxBatchBytes = 1024 * 1024;
        private Duration linger = Duration.ofMillis(100);
        private int bufferCapacity = 100_000;
        private WhenFull whenFull = WhenFull.BLOCK;
        private Duration blockTimeout = Duration.ofSeconds(5);
        private int senders = 8;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Consumer<Rejection> onRejected = r -> { };

        Builder(String baseUrl, String apiKey) {
            this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        }

        /** Events per request, 1 to 1,000 (the gateway's limit); 1,000 by default. */
        public Builder maxBatchEvents(int events) {
            if (events < 1 || events > 1_000) {
                throw new IllegalArgumentException("maxBatchEvents must be 1 to 1000");
            }
            this.maxBatchEvents = events;
            return this;
        }

        /** How long a sender waits for a batch to fill; 100 ms by default. */
        public Builder linger(Duration linger) {
            this.linger = linger;
            return this;
        }

        /** Events held before {@link #record} blocks or drops; 100,000 by default. */
        public Builder bufferCapacity(int events) {
            this.bufferCapacity = events;
            return this;
        }

        /** What a full buffer does to {@link #record}; BLOCK for up to {@code timeout} by default (5 s). */
        public Builder whenFull(WhenFull policy, Duration timeout) {
            this.whenFull = policy;
            this.blockTimeout = timeout;
            return this;
        }

        /** Requests in flight at once; 4 by default. */
        public Builder senders(int senders) {
            this.senders = senders;
            return this;
        }

        /** The backoff after a failed attempt starts at {@code initial} and doubles up to {@code max}. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** How long one request may take; 30 s by default. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** Told of each event the gateway refused for good (a bad field, a bad key). Runs on a sender thread. */
        public Builder onRejected(Consumer<Rejection> callback) {
            this.onRejected = Objects.requireNonNull(callback);
            return this;
        }

        public MeterbillClient build() {
            return new MeterbillClient(this);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EVENT_FIELD = Pattern.compile("events\\[(\\d+)]\\.?(.*)");
    private static final byte[] PREFIX = "{\"events\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUFFIX = "]}".getBytes(StandardCharsets.US_ASCII);

    private final Builder settings;
    private final URI batchUri;
    private final HttpClient http;
    private final BlockingQueue<UsageEvent> buffer;
    private final List<Thread> senderThreads = new ArrayList<>();
    /** Per sender, the events it took from the buffer and has not finished; read by close() after the join. */
    private final List<List<UsageEvent>> holdings = new ArrayList<>();
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Object progress = new Object();
    private volatile boolean closed;
    private volatile boolean stopping;
    private volatile long giveUpAtNanos = Long.MAX_VALUE;

    private MeterbillClient(Builder settings) {
        this.settings = settings;
        this.batchUri = URI.create(settings.baseUrl + "/api/v1/ingest/batch");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.buffer = new ArrayBlockingQueue<>(settings.bufferCapacity);
        for (int i = 0; i < settings.senders; i++) {
            List<UsageEvent> holding = new ArrayList<>();
            holdings.add(holding);
            Thread t = new Thread(() -> sendLoop(holding), "meterbill-sender-" + i);
            t.setDaemon(true);
            senderThreads.add(t);
            t.start();
        }
    }

    /**
     * Buffers an event for sending. Returns true when buffered; false when the buffer is full and the policy is
     * {@link WhenFull#DROP}.
     *
     * @throws BufferFullException   when the buffer stayed full for the block timeout (policy BLOCK)
     * @throws IllegalStateException after {@link #close}
     */
    public boolean record(UsageEvent event) {
        Objects.requireNonNull(event, "event");
        if (closed) {
            throw new IllegalStateException("the client is closed");
        }
        recorded.incrementAndGet();
        boolean taken;
        try {
            taken = settings.whenFull == WhenFull.DROP ? buffer.offer(event)
                    : buffer.offer(event, settings.blockTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            taken = false;
        }
        if (!taken) {
            recorded.decrementAndGet();
            if (settings.whenFull == WhenFull.DROP) {
                dropped.incrementAndGet();
                return false;
            }
            throw new BufferFullException("the buffer of " + settings.bufferCapacity + " events stayed full for "
                    + settings.blockTimeout.toMillis() + " ms: the gateway is not taking events as fast as they come");
        }
        return true;
    }

    /** Waits until every event recorded before the call was delivered or refused; false when the time ran out. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long target = recorded.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (finished.get() < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(progress, left);
            }
        }
        return true;
    }

    /**
     * Stops taking events, delivers what is buffered within {@code timeout}, then stops the senders. What could not
     * be confirmed in time (never sent, or sent without an answer) is in the result, with its idempotency keys: sending
     * it again later cannot count it twice.
     */
    public CloseResult close(Duration timeout) {
        closed = true;
        try {
            flush(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        giveUpAtNanos = System.nanoTime();
        stopping = true;
        for (Thread t : senderThreads) {
            t.interrupt();
        }
        for (Thread t : senderThreads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<UsageEvent> undelivered = new ArrayList<>();
        for (List<UsageEvent> holding : holdings) {
            synchronized (holding) {
                undelivered.addAll(holding);
            }
        }
        buffer.drainTo(undelivered);
        return new CloseResult(undelivered);
    }

    /** {@link #close(Duration)} with 30 seconds; what it could not deliver is lost to this process. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    public Metrics metrics() {
        return new Metrics(recorded.get(), sent.get(), retried.get(), rejected.get(), dropped.get(), buffer.size());
    }

    private void sendLoop(List<UsageEvent> holding) {
        while (!stopping) {
            try {
                UsageEvent first = buffer.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                synchronized (holding) {
                    holding.add(first);
                }
                long fillBy = System.nanoTime() + settings.linger.toNanos();
                List<UsageEvent> taken = new ArrayList<>();
                while (holding.size() < settings.maxBatchEvents) {
                    // all that is waiting under one lock of the buffer, not one lock per event: the recording
                    // thread and the other senders contend for it
                    taken.clear();
                    if (buffer.drainTo(taken, settings.maxBatchEvents - holding.size()) == 0) {
                        long left = fillBy - System.nanoTime();
                        UsageEvent next = left > 0 ? buffer.poll(left, TimeUnit.NANOSECONDS) : null;
                        if (next == null) {
                            break;
                        }
                        taken.add(next);
                    }
                    synchronized (holding) {
                        holding.addAll(taken);
                    }
                }
                deliver(holding);
            } catch (InterruptedException e) {
                return; // what the sender holds stays in its holding for close() to report
            }
        }
    }

    /** Sends what the sender holds (split to the byte limit) until each event is delivered or refused. */
    private void deliver(List<UsageEvent> holding) throws InterruptedException {
        List<byte[]> encoded = new ArrayList<>(holding.size());
        for (UsageEvent e : holding) {
            encoded.add(encode(e));
        }
        while (!holding.isEmpty()) {
            int to = 0;
            int bytes = PREFIX.length + SUFFIX.length;
            while (to < holding.size() && (to == 0 || bytes + encoded.get(to).length + 1 <= settings.maxBatchBytes)) {
                bytes += encoded.get(to).length + 1;
                to++;
            }
            sendWithRetries(holding, new ArrayList<>(holding.subList(0, to)), new ArrayList<>(encoded.subList(0, to)));
            encoded.subList(0, to).clear();
        }
    }

    /** Sends {@code events}, the first of {@code holding}, which loses each event once it is finished. */
    private void sendWithRetries(List<UsageEvent> holding, List<UsageEvent> events, List<byte[]> encoded)
            throws InterruptedException {
        List<UsageEvent> pendingEvents = events;
        List<byte[]> pendingBytes = encoded;
        for (int attempt = 0; !pendingEvents.isEmpty(); attempt++) {
            if (System.nanoTime() - giveUpAtNanos >= 0) {
                throw new InterruptedException("closing");
            }
            HttpResponse<byte[]> response;
            try {
                response = http.send(HttpRequest.newBuilder(batchUri).timeout(settings.requestTimeout)
                        .header("Authorization", "Bearer " + settings.apiKey)
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "meterbill-java")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body(pendingBytes))).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                backoff(attempt, -1, pendingEvents.size());
                continue;
            } catch (RuntimeException e) {
                // the request cannot even be made (a key with a line break, say): no retry will make it
                for (UsageEvent event : pendingEvents) {
                    refuse(holding, event, 0, Map.of("request", String.valueOf(e.getMessage())));
                }
                return;
            }
            int status = response.statusCode();
            if (status == 202) {
                sent.addAndGet(pendingEvents.size());
                finish(holding, pendingEvents);
                return;
            }
            if (status == 400) {
                Map<Integer, Map<String, String>> bad = eventErrors(response.body());
                if (bad.isEmpty()) {
                    refuseAll(holding, pendingEvents, status, response.body());
                    return;
                }
                List<UsageEvent> keep = new ArrayList<>();
                List<byte[]> keepBytes = new ArrayList<>();
                for (int i = 0; i < pendingEvents.size(); i++) {
                    if (bad.containsKey(i)) {
                        refuse(holding, pendingEvents.get(i), status, bad.get(i));
                    } else {
                        keep.add(pendingEvents.get(i));
                        keepBytes.add(pendingBytes.get(i));
                    }
                }
                pendingEvents = keep;
                pendingBytes = keepBytes;
                retried.addAndGet(keep.size());
                attempt = -1; // the rest was refused only because a batch is all or nothing
                continue;
            }
            if (status == 413 && pendingEvents.size() > 1) {
                int half = pendingEvents.size() / 2;
                sendWithRetries(holding, new ArrayList<>(pendingEvents.subList(0, half)),
                        new ArrayList<>(pendingBytes.subList(0, half)));
                sendWithRetries(holding, new ArrayList<>(pendingEvents.subList(half, pendingEvents.size())),
                        new ArrayList<>(pendingBytes.subList(half, pendingBytes.size())));
                return;
            }
            if (status == 429 || status >= 500) {
                backoff(attempt, retryAfterSeconds(response), pendingEvents.size());
                continue;
            }
            refuseAll(holding, pendingEvents, status, response.body());
            return;
        }
    }

    /** Waits before the next attempt: full jitter under an exponential cap, at least Retry-After. */
    private void backoff(int attempt, long retryAfterSeconds, int events) throws InterruptedException {
        retried.addAndGet(events);
        long wait = backoffMillis(attempt, retryAfterSeconds, settings.initialBackoff.toMillis(),
                settings.maxBackoff.toMillis(), ThreadLocalRandom.current().nextLong(1_000_000));
        long until = Math.min(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait), giveUpAtNanos);
        for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
    }

    /**
     * The wait before attempt {@code attempt + 1}, in milliseconds: a uniform draw ({@code millionths} of it, in
     * [0, 1,000,000)) below {@code initial × 2^attempt} capped at {@code max}, and never less than
     * {@code retryAfterSeconds} when given. Integers only: no floating point anywhere in the platform's code.
     */
    static long backoffMillis(int attempt, long retryAfterSeconds, long initial, long max, long millionths) {
        long cap = attempt >= 30 ? max : Math.min(max, initial << attempt);
        long jittered = Math.multiplyExact(cap, millionths) / 1_000_000;
        return Math.max(jittered, retryAfterSeconds > 0 ? TimeUnit.SECONDS.toMillis(retryAfterSeconds) : 0);
    }

    static long retryAfterSeconds(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(v -> {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                return -1L;
            }
        }).orElse(-1L);
    }

    /** The field errors of a problem document, by the index of the event they name. */
    static Map<Integer, Map<String, String>> eventErrors(byte[] problem) {
        Map<Integer, Map<String, String>> byEvent = new TreeMap<>();
        try {
            JsonNode errors = JSON.readTree(problem).path("errors");
            for (JsonNode error : errors) {
                Matcher m = EVENT_FIELD.matcher(error.path("field").asText());
                if (m.matches()) {
                    byEvent.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new TreeMap<>())
                            .put(m.group(2).isEmpty() ? "event" : m.group(2), error.path("message").asText());
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return byEvent;
    }

    private void refuseAll(List<UsageEvent> holding, List<UsageEvent> events, int status, byte[] body) {
        String detail;
        try {
            detail = JSON.readTree(body).path("detail").asText("HTTP " + status);
        } catch (IOException e) {
            detail = "HTTP " + status;
        }
        for (UsageEvent e : events) {
            refuse(holding, e, status, Map.of("request", detail));
        }
    }

    private void refuse(List<UsageEvent> holding, UsageEvent event, int status, Map<String, String> errors) {
        rejected.incrementAndGet();
        try {
            settings.onRejected.accept(new Rejection(event, status, errors));
        } catch (RuntimeException ignored) {
            // the caller's callback must not stop the sender
        }
        finish(holding, List.of(event));
    }

    /** The events are delivered or refused: the sender no longer holds them, flush() may return. */
    private void finish(List<UsageEvent> holding, List<UsageEvent> events) {
        Set<UsageEvent> done = Collections.newSetFromMap(new IdentityHashMap<>());
        done.addAll(events);
        synchronized (holding) {
            holding.removeAll(done);
        }
        finished.addAndGet(events.size());
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** The event as the gateway's JSON, written field by field (no map per event: this runs for every event). */
    static byte[] encode(UsageEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("metricName", event.metricName());
            g.writeFieldName("metricValue");
            g.writeNumber(event.value().toPlainString());
            g.writeStringField("unit", event.unit());
            g.writeStringField("timestamp", iso(event.timestamp()));
            if (!event.metadata().isEmpty()) {
                g.writeObjectFieldStart("metadata");
                for (Map.Entry<String, Object> entry : event.metadata().entrySet()) {
                    g.writeFieldName(entry.getKey());
                    writeValue(g, entry.getValue());
                }
                g.writeEndObject();
            }
            g.writeStringField("idempotencyKey", event.idempotencyKey());
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("the event cannot be written as JSON: " + event, e);
        }
        return out.toByteArray();
    }

    /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z in epoch seconds: the years {@link #iso} writes itself. */
    private static final long YEAR_0 = -62_167_219_200L;
    private static final long YEAR_10000 = 253_402_300_800L;

    /**
     * {@code instant.toString()}, the same characters (seconds always, a fraction of 3, 6 or 9 digits when there is
     * one), without the formatter, which was a quarter of the client's encoding time.
     */
    static String iso(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < YEAR_0 || seconds >= YEAR_10000) {
            return instant.toString();
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        char[] c = new char[30];
        int i = digits(c, 0, t.getYear(), 4);
        c[i++] = '-';
        i = digits(c, i, t.getMonthValue(), 2);
        c[i++] = '-';
        i = digits(c, i, t.getDayOfMonth(), 2);
        c[i++] = 'T';
        i = digits(c, i, t.getHour(), 2);
        c[i++] = ':';
        i = digits(c, i, t.getMinute(), 2);
        c[i++] = ':';
        i = digits(c, i, t.getSecond(), 2);
        int nano = instant.getNano();
        if (nano > 0) {
            c[i++] = '.';
            if (nano % 1_000_000 == 0) {
                i = digits(c, i, nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                i = digits(c, i, nano / 1_000, 6);
            } else {
                i = digits(c, i, nano, 9);
            }
        }
        c[i++] = 'Z';
        return new String(c, 0, i);
    }

    private static int digits(char[] c, int at, int value, int width) {
        for (int k = at + width - 1; k >= at; k--) {
            c[k] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    /** A metadata value ({@link UsageEvent#with} admits strings, numbers and booleans), without a serializer lookup. */
    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value instanceof String) {
            g.writeString((String) value);
        } else if (value instanceof Boolean) {
            g.writeBoolean((Boolean) value);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigDecimal) {
            g.writeNumber((BigDecimal) value);
        } else {
            JSON.writeValue(g, value);
        }
    }

    private static byte[] body(List<byte[]> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PREFIX);
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(events.get(i));
        }
        out.writeBytes(SUFFIX);
        return out.toByteArray();
    }
}
