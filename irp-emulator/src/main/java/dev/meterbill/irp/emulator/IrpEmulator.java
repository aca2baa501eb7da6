package dev.meterbill.irp.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GST Invoice Registration Portal as the platform talks to it: {@code POST /eicore/v1.03/Invoice} registers
 * an e-invoice (schema version 1.1) and answers its IRN, acknowledgement and signed QR code; the same document
 * again is refused with error 2150 and the existing IRN in {@code InfoDtls}; {@code GET .../Invoice/irn/{irn}}
 * reads a registration; {@code POST .../Invoice/Cancel} cancels within 24 hours. Answers follow the IRP's
 * envelope: HTTP 200 with {@code Status} 1 and {@code Data}, or {@code Status} 0 and {@code ErrorDetails}.
 *
 * <p>{@link #failPercent} makes that share of register calls fail: half before registering (503), half after
 * registering with the answer lost (504), which is what a client must survive without two IRNs.
 * {@link #holdAnswersAfter} keeps the answers of registrations beyond a count until {@link #releaseAnswers}:
 * the client is then stopped in the middle, its documents registered and their IRNs not yet received.
 */
public final class IrpEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IrpEmulator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId INDIA = ZoneId.of("Asia/Kolkata");
    private static final DateTimeFormatter DOC_DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final DateTimeFormatter ACK_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** Paths of the fields the platform's e-invoices must carry (schema 1.1, services). */
    private static final List<String> REQUIRED = List.of("Version", "TranDtls/TaxSch", "TranDtls/SupTyp",
            "DocDtls/Typ", "DocDtls/No", "DocDtls/Dt", "SellerDtls/Gstin", "SellerDtls/LglNm", "SellerDtls/Addr1",
            "SellerDtls/Loc", "SellerDtls/Pin", "SellerDtls/Stcd", "BuyerDtls/Gstin", "BuyerDtls/LglNm",
            "BuyerDtls/Pos", "BuyerDtls/Addr1", "BuyerDtls/Loc", "BuyerDtls/Pin", "BuyerDtls/Stcd", "ValDtls/AssVal",
            "ValDtls/TotInvVal");
    private static final List<String> ITEM_REQUIRED = List.of("SlNo", "IsServc", "HsnCd", "UnitPrice", "TotAmt",
            "AssAmt", "GstRt", "TotItemVal");

    /** One registered e-invoice. */
    record Registration(String irn, long ackNo, Instant ackAt, String signedQr, JsonNode document,
                        Instant cancelledAt) {}

    private final Map<String, Registration> registrations = new LinkedHashMap<>();
    private final AtomicLong ackNumbers = new AtomicLong(112_610_000_000_000L);
    private final RSAKey key;
    private final Clock clock;
    private final Javalin app;
    private volatile int failPercent;
    private volatile int answerLimit = Integer.MAX_VALUE;
    private final AtomicInteger held = new AtomicInteger();
    private volatile CountDownLatch release = new CountDownLatch(0);

    private IrpEmulator(Clock clock) {
        this.clock = clock;
        try {
            this.key = new RSAKeyGenerator(2048).keyID("irp-emulator").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("no RSA key for signing", e);
        }
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.post("/eicore/v1.03/Invoice", this::register);
            cfg.routes.get("/eicore/v1.03/Invoice/irn/{irn}", this::get);
            cfg.routes.post("/eicore/v1.03/Invoice/Cancel", this::cancel);
            cfg.routes.post("/_emulator/failures", ctx -> {
                failPercent(JSON.readTree(ctx.body()).path("percent").asInt());
                ctx.json(Map.of("percent", failPercent));
            });
        });
    }

    public static IrpEmulator start(int port) {
        IrpEmulator emulator = new IrpEmulator(Clock.systemUTC());
        emulator.app.start(port);
        LOG.info("IRP emulator listening on {}", emulator.baseUrl());
        return emulator;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + app.port();
    }

    /** The share of register calls that fail, in percent (0 to 100). */
    public void failPercent(int percent) {
        failPercent = Math.max(0, Math.min(100, percent));
    }

    /**
     * From now on, registrations beyond the {@code registered}-th (counting all so far) are made but their
     * answers wait until {@link #releaseAnswers} (at most a minute).
     */
    public synchronized void holdAnswersAfter(int registered) {
        release = new CountDownLatch(1);
        answerLimit = registered;
    }

    /** Answers what is held, and holds no more. */
    public void releaseAnswers() {
        answerLimit = Integer.MAX_VALUE;
        release.countDown();
    }

    /** How many registrations are waiting for their answer. */
    public int held() {
        return held.get();
    }

    /** How many documents are registered (cancelled ones included). */
    public synchronized int registered() {
        return registrations.size();
    }

    /** How many registrations a document number has: never more than one. */
    public synchronized long registrationsOf(String documentNumber) {
        return registrations.values().stream()
                .filter(r -> r.document().path("DocDtls").path("No").asText().equals(documentNumber)).count();
    }

    /** The IRN the IRP computes: SHA-256 of supplier GSTIN, financial year, document type and number. */
    public static String irn(String sellerGstin, String financialYear, String documentType, String number) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((sellerGstin + financialYear + documentType + number).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** 2026-27 for a document dated from 1 April 2026 to 31 March 2027. */
    static String financialYear(LocalDate day) {
        int start = day.getMonthValue() >= 4 ? day.getYear() : day.getYear() - 1;
        return start + "-" + String.format("%02d", (start + 1) % 100);
    }

    private void register(Context ctx) throws Exception {
        boolean fail = ThreadLocalRandom.current().nextInt(100) < failPercent;
        boolean lostAnswer = fail && ThreadLocalRandom.current().nextBoolean();
        if (fail && !lostAnswer) {
            ctx.status(503).result("IRP unavailable");
            return;
        }
        JsonNode document = JSON.readTree(ctx.body());
        List<String> missing = missing(document);
        if (!missing.isEmpty()) {
            ctx.json(error("5002", missing.get(0) + " is required", null));
            return;
        }
        String seller = document.path("SellerDtls").path("Gstin").asText();
        String type = document.path("DocDtls").path("Typ").asText();
        String number = document.path("DocDtls").path("No").asText();
        LocalDate date = LocalDate.parse(document.path("DocDtls").path("Dt").asText(), DOC_DATE);
        String irn = irn(seller, financialYear(date), type, number);
        Registration registration;
        boolean hold;
        synchronized (this) {
            Registration existing = registrations.get(irn);
            if (existing != null) {
                ctx.json(error("2150", "Duplicate IRN", existing));
                return;
            }
            Instant now = clock.instant();
            registration = new Registration(irn, ackNumbers.incrementAndGet(), now, signedQr(document, irn, now),
                    document, null);
            registrations.put(irn, registration);
            hold = registrations.size() > answerLimit;
        }
        if (hold) {
            held.incrementAndGet();
            try {
                release.await(1, TimeUnit.MINUTES);
            } finally {
                held.decrementAndGet();
            }
        }
        if (lostAnswer) {
            ctx.status(504).result("gateway timeout");
            return;
        }
        ctx.json(success(registration));
    }

    private void get(Context ctx) {
        Registration registration;
        synchronized (this) {
            registration = registrations.get(ctx.pathParam("irn"));
        }
        ctx.json(registration == null ? error("2283", "IRN details are not found", null) : success(registration));
    }

    private void cancel(Context ctx) throws Exception {
        String irn = JSON.readTree(ctx.body()).path("Irn").asText();
        synchronized (this) {
            Registration registration = registrations.get(irn);
            if (registration == null) {
                ctx.json(error("2283", "IRN details are not found", null));
                return;
            }
            if (registration.cancelledAt() != null) {
                ctx.json(error("9999", "Invoice is cancelled already", null));
                return;
            }
            Instant now = clock.instant();
            if (Duration.between(registration.ackAt(), now).compareTo(Duration.ofHours(24)) > 0) {
                ctx.json(error("2270", "The allowed cancellation time limit is crossed", null));
                return;
            }
            registrations.put(irn, new Registration(irn, registration.ackNo(), registration.ackAt(),
                    registration.signedQr(), registration.document(), now));
            ObjectNode data = JSON.createObjectNode().put("Irn", irn)
                    .put("CancelDate", ACK_DATE.format(now.atZone(INDIA)));
            ctx.json(JSON.createObjectNode().put("Status", 1).set("Data", data));
        }
    }

    private static List<String> missing(JsonNode document) {
        List<String> missing = new ArrayList<>();
        for (String path : REQUIRED) {
            if (at(document, path).isMissingNode() || at(document, path).isNull() || at(document, path).asText().isEmpty()) {
                missing.add(path);
            }
        }
        JsonNode items = document.path("ItemList");
        if (!items.isArray() || items.isEmpty()) {
            missing.add("ItemList");
        } else {
            for (int i = 0; i < items.size(); i++) {
                for (String field : ITEM_REQUIRED) {
                    if (items.get(i).path(field).isMissingNode()) {
                        missing.add("ItemList[" + i + "]/" + field);
                    }
                }
            }
        }
        return missing;
    }

    private static JsonNode at(JsonNode node, String path) {
        for (String part : path.split("/")) {
            node = node.path(part);
        }
        return node;
    }

    private String signedQr(JsonNode document, String irn, Instant at) throws JOSEException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("SellerGstin", document.path("SellerDtls").path("Gstin").asText());
        data.put("BuyerGstin", document.path("BuyerDtls").path("Gstin").asText());
        data.put("DocNo", document.path("DocDtls").path("No").asText());
        data.put("DocTyp", document.path("DocDtls").path("Typ").asText());
        data.put("DocDt", document.path("DocDtls").path("Dt").asText());
        data.put("TotInvVal", document.path("ValDtls").path("TotInvVal").decimalValue());
        data.put("ItemCnt", document.path("ItemList").size());
        data.put("MainHsnCode", document.path("ItemList").path(0).path("HsnCd").asText());
        data.put("Irn", irn);
        data.put("IrnDt", ACK_DATE.format(at.atZone(INDIA)));
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    new Payload(Map.of("data", JSON.writeValueAsString(data), "iss", "NIC")));
            jws.sign(new RSASSASigner(key));
            return jws.serialize();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode success(Registration r) {
        ObjectNode data = JSON.createObjectNode().put("AckNo", r.ackNo())
                .put("AckDt", ACK_DATE.format(r.ackAt().atZone(INDIA))).put("Irn", r.irn())
                .put("SignedQRCode", r.signedQr()).put("Status", r.cancelledAt() == null ? "ACT" : "CNL");
        return (ObjectNode) JSON.createObjectNode().put("Status", 1).set("Data", data);
    }

    private static ObjectNode error(String code, String message, Registration existing) {
        ObjectNode answer = JSON.createObjectNode().put("Status", 0);
        answer.putArray("ErrorDetails").addObject().put("ErrorCode", code).put("ErrorMessage", message);
        if (existing != null) {
            answer.putArray("InfoDtls").addObject().put("InfCd", "DUPIRN").putObject("Desc")
                    .put("AckNo", existing.ackNo()).put("AckDt", ACK_DATE.format(existing.ackAt().atZone(INDIA)))
                    .put("Irn", existing.irn());
        }
        return answer;
    }

    @Override
    public void close() {
        app.stop();
    }
}
