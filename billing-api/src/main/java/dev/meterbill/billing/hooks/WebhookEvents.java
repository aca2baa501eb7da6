package dev.meterbill.billing.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditListener;
import dev.meterbill.billing.invoice.InvoiceRepository;
import dev.meterbill.billing.invoice.InvoiceView;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns changes into webhook events in the transaction that makes them: it listens to the audit log, which every
 * change writes in its own transaction, and writes the event and its deliveries there too. The payload is
 * {@code {id, type, timestamp, apiVersion, data}} where data is the resource as the API shows it.
 */
public final class WebhookEvents implements AuditListener {

    /** The shape of the payloads; changes to it get a new version. */
    public static final String API_VERSION = "2026-11-30";

    private final WebhookRepository repository;
    private final InvoiceRepository invoices;
    private final ObjectMapper json;
    private final Clock clock;

    public WebhookEvents(WebhookRepository repository, InvoiceRepository invoices, ObjectMapper json, Clock clock) {
        this.repository = repository;
        this.invoices = invoices;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void recorded(Connection c, List<AuditEntry> entries) throws SQLException {
        Set<UUID> organisations = new HashSet<>();
        for (AuditEntry entry : entries) {
            if (EventTypes.FROM_AUDIT.containsKey(entry.action()) && entry.organisationId() != null) {
                organisations.add(entry.organisationId());
            }
        }
        Set<UUID> listening = repository.listening(c, organisations);
        if (listening.isEmpty()) {
            return;
        }
        for (AuditEntry entry : entries) {
            String type = EventTypes.FROM_AUDIT.get(entry.action());
            if (type != null && listening.contains(entry.organisationId())) {
                emit(c, entry.organisationId(), type, data(c, entry), null);
            }
        }
    }

    /** The resource: the invoice as the API shows it for a generated invoice, else the audited state. */
    private Object data(Connection c, AuditEntry entry) throws SQLException {
        if (entry.action().equals("invoice.generated")) {
            return invoices.find(c, UUID.fromString(entry.entityId()), false).map(i -> InvoiceView.of(i, false))
                    .orElse(null);
        }
        return entry.afterState();
    }

    /**
     * Writes an event of the organisation to its endpoints that take the type ({@code onlyEndpoint}: to that one);
     * the event's id, or null when no endpoint takes it.
     */
    public String emit(Connection c, UUID organisationId, String type, Object data, UUID onlyEndpoint)
            throws SQLException {
        String id = "evt_" + UUID.randomUUID().toString().replace("-", "");
        Instant now = clock.instant();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", id);
        payload.put("type", type);
        payload.put("timestamp", now.toString());
        payload.put("apiVersion", API_VERSION);
        payload.put("data", data);
        String body;
        try {
            body = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the payload of " + type, e);
        }
        return repository.emit(c, id, organisationId, type, body, now, onlyEndpoint) > 0 ? id : null;
    }
}
