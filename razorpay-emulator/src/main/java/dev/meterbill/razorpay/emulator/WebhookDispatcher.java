package dev.meterbill.razorpay.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers signed webhooks in the background according to a {@link DeliveryPlan}, retries failed attempts
 * with backoff, and logs every attempt. An event is signed once, when it is handed over, with the secret of
 * that moment: its retries carry the same signature even if the secret is rotated meanwhile, as Razorpay's do.
 */
final class WebhookDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

    /** Where and how an event goes, fixed when it is handed over. */
    private record Signed(WebhookEvent event, String url, String signature, long generation) {}

    private record Target(String url, String secret) {}

    private final RetryPolicy retry;
    private final HttpClient http;
    private final ExecutorService plans = Executors.newCachedThreadPool(daemon("razorpay-emulator-webhooks"));
    private final ScheduledExecutorService retries =
            Executors.newScheduledThreadPool(2, daemon("razorpay-emulator-webhook-retries"));
    private final List<Delivery> log = new CopyOnWriteArrayList<>();
    private final AtomicLong generation = new AtomicLong();
    private final Object idle = new Object();
    private int pending;
    private volatile Target target;

    WebhookDispatcher(RetryPolicy retry) {
        this.retry = retry;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(retry.timeout()).build();
    }

    void configure(String url, String secret) {
        target = new Target(url, secret);
    }

    void rotateSecret(String secret) {
        Target current = target;
        target = new Target(current == null ? null : current.url(), secret);
    }

    String secret() {
        Target current = target;
        return current == null ? null : current.secret();
    }

    /** Hands the events of one state change over for delivery; returns at once. */
    void dispatch(List<WebhookEvent> events, DeliveryPlan plan) {
        if (events.isEmpty()) {
            return;
        }
        List<Signed> signed = events.stream().map(this::sign).toList();
        begin();
        plans.execute(() -> {
            try {
                run(signed, plan);
            } finally {
                end();
            }
        });
    }

    /** Delivers an already-sent event again, signed with the current secret, as a Razorpay replay is. */
    void redeliver(WebhookEvent event) {
        dispatch(List.of(event), DeliveryPlan.normal());
    }

    List<Delivery> deliveries() {
        return List.copyOf(log);
    }

    /** Waits until every delivery and scheduled retry has finished; false if the timeout came first. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (pending > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
            return true;
        }
    }

    /** Forgets the log; deliveries and retries already under way are abandoned. */
    void reset() {
        generation.incrementAndGet();
        log.clear();
    }

    @Override
    public void close() {
        plans.shutdownNow();
        retries.shutdownNow();
    }

    private Signed sign(WebhookEvent event) {
        Target current = target;
        if (current == null || current.url() == null || current.secret() == null) {
            return new Signed(event, null, null, generation.get());
        }
        return new Signed(event, current.url(), WebhookSigner.sign(current.secret(), event.payload()), generation.get());
    }

    private void run(List<Signed> events, DeliveryPlan plan) {
        List<Signed> order = new ArrayList<>(events);
        if (plan.mode() == DeliveryPlan.Mode.REVERSED) {
            Collections.reverse(order);
        }
        if (plan.mode() == DeliveryPlan.Mode.DELAYED && !sleep(plan.delay())) {
            return;
        }
        for (Signed s : order) {
            if (plan.drops(s.event().type())) {
                record(s, 1, 0, Delivery.Outcome.DROPPED, 0);
                continue;
            }
            switch (plan.mode()) {
                case DUPLICATE -> {
                    attempt(s, 1);
                    attempt(s, 1);
                }
                case DUPLICATE_CONCURRENT -> twiceAtOnce(s);
                default -> attempt(s, 1);
            }
        }
    }

    private void twiceAtOnce(Signed s) {
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            begin();
            plans.execute(() -> {
                try {
                    start.await();
                    attempt(s, 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                    end();
                }
            });
        }
        start.countDown();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void attempt(Signed s, int attempt) {
        if (s.generation() != generation.get()) {
            return; // the emulator was reset meanwhile
        }
        if (s.url() == null) {
            record(s, attempt, 0, Delivery.Outcome.NO_WEBHOOK, 0);
            return;
        }
        long started = System.nanoTime();
        int status = 0;
        Delivery.Outcome outcome;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(s.url()))
                    .timeout(retry.timeout())
                    .header("Content-Type", "application/json")
                    .header("X-Razorpay-Signature", s.signature())
                    .header("X-Razorpay-Event-Id", s.event().id())
                    .header("User-Agent", "Razorpay-Webhook/v1")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(s.event().payload()))
                    .build();
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            outcome = status >= 200 && status < 300 ? Delivery.Outcome.DELIVERED : Delivery.Outcome.REJECTED;
        } catch (HttpTimeoutException e) {
            outcome = Delivery.Outcome.TIMED_OUT;
        } catch (IOException | IllegalArgumentException e) {
            outcome = Delivery.Outcome.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        record(s, attempt, status, outcome, Duration.ofNanos(System.nanoTime() - started).toMillis());
        if (outcome != Delivery.Outcome.DELIVERED && attempt <= retry.retries()) {
            scheduleRetry(s, attempt + 1);
        }
    }

    private void scheduleRetry(Signed s, int attempt) {
        begin();
        try {
            retries.schedule(() -> {
                try {
                    attempt(s, attempt);
                } finally {
                    end();
                }
            }, retry.backoffBefore(attempt).toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) { // rejected after close()
            end();
        }
    }

    private void record(Signed s, int attempt, int status, Delivery.Outcome outcome, long millis) {
        if (s.generation() != generation.get()) {
            return;
        }
        log.add(new Delivery(s.event().id(), s.event().type(), attempt, status, outcome, millis, Instant.now(),
                s.signature()));
        LOG.info("webhook delivery event={} type={} attempt={} status={} outcome={} durationMs={}",
                s.event().id(), s.event().type(), attempt, status, outcome, millis);
    }

    private void begin() {
        synchronized (idle) {
            pending++;
        }
    }

    private void end() {
        synchronized (idle) {
            pending--;
            idle.notifyAll();
        }
    }

    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong count = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
