package dev.meterbill.billing.hooks;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.db.Transactions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what is due, following the Standard Webhooks specification: a POST of the event's payload with
 * {@code webhook-id} (the event id, the same on every retry), {@code webhook-timestamp} and {@code webhook-signature}.
 * A delivery is claimed with its row locked ({@code SKIP LOCKED}), and only the oldest pending delivery of an
 * endpoint is ever claimed, so no attempt runs twice at once and an endpoint receives its events in order. A 2xx
 * answer within the timeout delivers it; anything else (no redirect is followed) is retried after a delay that
 * doubles from {@link WebhookSettings#retryBase} up to 8 hours, with ±20 % jitter, until the event is 3 days old.
 * After {@link WebhookSettings#disableAfter} consecutive failures the endpoint is disabled and the change audited.
 */
public final class WebhookDeliverer {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliverer.class);
    /** At most this many attempts per run. */
    static final int BATCH = 100;

    private final Transactions transactions;
    private final WebhookRepository repository;
    private final WebhookTargets targets;
    private final WebhookSettings settings;
    private final AuditLog auditLog;
    private final Clock clock;
    private final HttpClient http;

    public WebhookDeliverer(Transactions transactions, WebhookRepository repository, WebhookSettings settings,
                            AuditLog auditLog, Clock clock) {
        this.transactions = transactions;
        this.repository = repository;
        this.targets = new WebhookTargets(settings.localTargets());
        this.settings = settings;
        this.auditLog = auditLog;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.attemptTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Attempts what is due; how many were delivered. */
    public int deliverDue() {
        int delivered = 0;
        for (int i = 0; i < BATCH; i++) {
            Boolean outcome = transactions.inOwnTransaction(c -> {
                Optional<WebhookRepository.Due> due = repository.claimNextDue(c, clock.instant());
                if (due.isEmpty()) {
                    return null;
                }
                WebhookRepository.Due d = due.get();
                Instant at = clock.instant();
                Attempt attempt = attempt(repository.endpoint(c, d.endpointId(), false).orElseThrow(), d, at);
                // locked after the call, not during it: changing the endpoint never waits for a slow receiver
                WebhookRepository.Endpoint endpoint = repository.endpoint(c, d.endpointId(), true).orElseThrow();
                repository.recordAttempt(c, d.id(), at, attempt.statusCode(), attempt.latencyMs(), attempt.error());
                if (attempt.delivered()) {
                    repository.markDelivered(c, d.id(), attempt.statusCode(), attempt.latencyMs());
                    if (endpoint.consecutiveFailures() > 0) {
                        repository.update(c, withFailures(endpoint, 0, endpoint.enabled(), endpoint.disabledReason()));
                    }
                    return true;
                }
                int failures = endpoint.consecutiveFailures() + 1;
                Instant next = at.plus(delay(d.attempts() + 1));
                boolean giveUp = next.isAfter(d.eventCreatedAt().plus(settings.giveUpAfter()));
                repository.markFailedAttempt(c, d.id(), attempt.statusCode(), attempt.latencyMs(), attempt.error(), next,
                        giveUp);
                boolean disable = failures >= settings.disableAfter();
                String reason = disable ? failures + " consecutive failed deliveries, the last: " + attempt.error()
                        : endpoint.disabledReason();
                repository.update(c, withFailures(endpoint, failures, endpoint.enabled() && !disable, reason));
                if (disable) {
                    LOG.warn("Webhook endpoint {} of organisation {} disabled: {}", endpoint.id(), endpoint.organisationId(),
                            reason);
                    auditLog.record(c, new AuditEntry("system:webhooks", endpoint.organisationId(),
                            "webhook_endpoint.disabled", "webhook_endpoint", endpoint.id().toString(), null,
                            Map.of("reason", reason), null));
                }
                return false;
            });
            if (outcome == null) {
                break;
            }
            delivered += outcome ? 1 : 0;
        }
        return delivered;
    }

    private record Attempt(boolean delivered, Integer statusCode, int latencyMs, String error) {}

    private Attempt attempt(WebhookRepository.Endpoint endpoint, WebhookRepository.Due d, Instant at) {
        String refusal = targets.refusal(endpoint.url());
        if (refusal != null) {
            return new Attempt(false, null, 0, "not sent: the URL " + refusal);
        }
        // the receiver checks it against its own clock (replay protection): always the wall clock
        long timestamp = Instant.now().getEpochSecond();
        String signature = Signatures.sign(endpoint.secret(), d.eventId(), timestamp, d.payload());
        if (endpoint.previousSecret() != null && endpoint.previousSecretUntil().isAfter(at)) {
            signature += " " + Signatures.sign(endpoint.previousSecret(), d.eventId(), timestamp, d.payload());
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.url())).timeout(settings.attemptTimeout())
                .header("Content-Type", "application/json").header("User-Agent", "meterbill-webhooks/1")
                .header("webhook-id", d.eventId()).header("webhook-timestamp", String.valueOf(timestamp))
                .header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(d.payload())).build();
        long started = System.nanoTime();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int latency = (int) Duration.ofNanos(System.nanoTime() - started).toMillis();
            int status = response.statusCode();
            return status >= 200 && status < 300 ? new Attempt(true, status, latency, null)
                    : new Attempt(false, status, latency, "answered " + status);
        } catch (IOException e) {
            return new Attempt(false, null, (int) Duration.ofNanos(System.nanoTime() - started).toMillis(),
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(false, null, 0, "interrupted");
        }
    }

    /** Before the {@code attempt}-th retry: the base doubled per earlier failure, at most 8 hours, ±20 %. */
    Duration delay(int attempt) {
        long base = settings.retryBase().toMillis();
        long doubled = attempt >= 30 ? Long.MAX_VALUE : base << Math.max(0, attempt - 1);
        long capped = Math.min(doubled < 0 ? Long.MAX_VALUE : doubled, WebhookSettings.MAX_DELAY.toMillis());
        long jitterPermille = ThreadLocalRandom.current().nextLong(800, 1201);
        return Duration.ofMillis(capped / 1000 * jitterPermille + capped % 1000 * jitterPermille / 1000);
    }

    private static WebhookRepository.Endpoint withFailures(WebhookRepository.Endpoint e, int failures, boolean enabled,
                                                           String reason) {
        return new WebhookRepository.Endpoint(e.id(), e.organisationId(), e.url(), e.description(), e.eventTypes(),
                enabled, e.secret(), e.previousSecret(), e.previousSecretUntil(), failures, enabled ? null : reason,
                e.createdAt(), e.updatedAt());
    }
}
