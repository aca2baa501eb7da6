package dev.meterbill.billing.einvoice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The IRP's JSON API over HTTP ({@code /eicore/v1.03}): 10-second timeouts, no redirects. A production IRP
 * sits behind a GST Suvidha Provider that adds authentication and encryption; this adapter speaks the
 * plain protocol the local IRP emulator serves (docs/billing.md, "E-invoicing").
 */
public final class HttpEInvoiceProvider implements EInvoiceProvider {

    private static final ZoneId INDIA = ZoneId.of("Asia/Kolkata");
    private static final DateTimeFormatter ACK_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final String baseUrl;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public HttpEInvoiceProvider(String baseUrl, ObjectMapper json) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.json = json;
    }

    @Override
    public Registration register(JsonNode document) {
        JsonNode answer = call(HttpRequest.newBuilder(URI.create(baseUrl + "/eicore/v1.03/Invoice"))
                .POST(HttpRequest.BodyPublishers.ofString(document.toString())));
        if (answer.path("Status").asInt() != 1) {
            String code = answer.path("ErrorDetails").path(0).path("ErrorCode").asText();
            if ("2150".equals(code)) {
                throw new Duplicate(answer.path("InfoDtls").path(0).path("Desc").path("Irn").asText());
            }
            throw new Refused(code + " " + answer.path("ErrorDetails").path(0).path("ErrorMessage").asText());
        }
        return registration(answer.path("Data"));
    }

    @Override
    public Registration find(String irn) {
        JsonNode answer = call(HttpRequest.newBuilder(URI.create(baseUrl + "/eicore/v1.03/Invoice/irn/" + irn)).GET());
        if (answer.path("Status").asInt() != 1) {
            throw new Unavailable("IRN " + irn + " is not found at the IRP yet", null);
        }
        return registration(answer.path("Data"));
    }

    @Override
    public void cancel(String irn, String reasonCode, String remark) {
        String body;
        try {
            body = json.writeValueAsString(Map.of("Irn", irn, "CnlRsn", reasonCode, "CnlRem", remark));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        JsonNode answer = call(HttpRequest.newBuilder(URI.create(baseUrl + "/eicore/v1.03/Invoice/Cancel"))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (answer.path("Status").asInt() != 1) {
            throw new Refused(answer.path("ErrorDetails").path(0).path("ErrorCode").asText() + " "
                    + answer.path("ErrorDetails").path(0).path("ErrorMessage").asText());
        }
    }

    private JsonNode call(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new Unavailable("the IRP answered " + response.statusCode(), null);
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new Unavailable("the IRP did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while calling the IRP", e);
        }
    }

    private static Registration registration(JsonNode data) {
        return new Registration(data.path("Irn").asText(), data.path("AckNo").asText(),
                LocalDateTime.parse(data.path("AckDt").asText(), ACK_DATE).atZone(INDIA).toInstant(),
                data.path("SignedQRCode").asText());
    }
}
