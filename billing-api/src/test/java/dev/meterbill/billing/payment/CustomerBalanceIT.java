package dev.meterbill.billing.payment;

import static dev.meterbill.billing.testutils.PaymentStack.TOTAL_MINOR;
import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.razorpay.Order;
import com.razorpay.RazorpayClient;
import dev.meterbill.billing.testutils.PaymentStack;
import dev.meterbill.billing.testutils.PaymentStack.Issued;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.razorpay.emulator.PaymentSimulation;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Partial payments, TDS, credit notes, refunds and customer credit through HTTP, Razorpay's emulator and
 * its webhooks, on the real PostgreSQL. Every invoice is 1,000.00 + 18% GST within the state = 1,180.00.
 */
class CustomerBalanceIT {

    @RegisterExtension
    static final PaymentStack stack = PaymentStack.perClass();

    private static Response post(String path, String body) {
        return stack.client().postJson(path, ADMIN_TOKEN, body);
    }

    private static String pay(Issued invoice, long amountMinor) {
        String paymentId = stack.emulator().pay(invoice.orderId(), PaymentSimulation.captured().amount(amountMinor))
                .paymentId();
        stack.awaitWebhooks();
        return paymentId;
    }

    private static long auditCount(UUID invoiceId, String action) {
        return stack.count("SELECT count(*) FROM audit_logs WHERE action = ? AND (entity_id = ?"
                + " OR after_state->>'invoiceId' = ?)", action, invoiceId.toString(), invoiceId.toString());
    }

    @Test
    void aCustomerWhoPays90PercentAndCertifies10PercentTdsHasPaid() {
        Issued invoice = stack.issued("Net Of TDS Pvt Ltd");

        pay(invoice, 106_200);
        JsonNode partly = stack.invoice(invoice.id());
        assertThat(partly.get("status").asText()).isEqualTo("partially_paid");
        assertThat(partly.get("amountPaid").decimalValue()).isEqualByComparingTo("1062.00");
        assertThat(partly.get("balanceDue").decimalValue()).isEqualByComparingTo("118.00");
        assertThat(stack.payments(invoice.id()).get("payments").get(0).get("mismatchReason").isNull()).isTrue();

        Response tooMuch = post("/api/v1/invoices/" + invoice.id() + "/tds",
                "{\"section\":\"194J\",\"amount\":118.01,\"certificateRef\":\"16A-1\"}");
        assertThat(tooMuch.status()).as(tooMuch.body()).isEqualTo(400);
        assertThat(tooMuch.json().get("errors").get(0).get("message").asText()).contains("still due");

        Response tds = post("/api/v1/invoices/" + invoice.id() + "/tds",
                "{\"section\":\"194J\",\"amount\":118.00,\"certificateRef\":\"16A-2026-0001\"}");

        assertThat(tds.status()).as(tds.body()).isEqualTo(201);
        assertThat(tds.json().get("invoiceStatus").asText()).isEqualTo("paid");
        JsonNode paid = stack.invoice(invoice.id());
        assertThat(paid.get("status").asText()).isEqualTo("paid");
        assertThat(paid.get("tdsTotal").decimalValue()).isEqualByComparingTo("118.00");
        assertThat(paid.get("balanceDue").decimalValue()).isEqualByComparingTo("0.00");
        assertThat(auditCount(invoice.id(), "invoice.partially_paid")).isEqualTo(1);
        assertThat(auditCount(invoice.id(), "invoice.tds_recorded")).isEqualTo(1);
        assertThat(auditCount(invoice.id(), "invoice.paid")).isEqualTo(1);

        Response afterPaid = post("/api/v1/invoices/" + invoice.id() + "/tds", "{\"section\":\"194J\",\"ratePercent\":1}");
        assertThat(afterPaid.status()).isEqualTo(409);
    }

    @Test
    void tdsIsAtMostAFifthOfTheTaxableValue() {
        Issued invoice = stack.issued("TDS Cap Ltd");

        Response over = post("/api/v1/invoices/" + invoice.id() + "/tds", "{\"section\":\"194J\",\"ratePercent\":21}");
        Response badSection = post("/api/v1/invoices/" + invoice.id() + "/tds", "{\"section\":\"J194\",\"ratePercent\":2}");
        Response both = post("/api/v1/invoices/" + invoice.id() + "/tds",
                "{\"section\":\"194J\",\"ratePercent\":2,\"amount\":20}");
        Response byRate = post("/api/v1/invoices/" + invoice.id() + "/tds", "{\"section\":\"194J\",\"ratePercent\":10}");
        Response beyondTheCap = post("/api/v1/invoices/" + invoice.id() + "/tds",
                "{\"section\":\"194C\",\"amount\":100.01}");

        assertThat(over.status()).isEqualTo(400);
        assertThat(badSection.status()).isEqualTo(400);
        assertThat(both.status()).isEqualTo(400);
        assertThat(byRate.status()).as(byRate.body()).isEqualTo(201);
        assertThat(byRate.json().get("tds").get(0).get("amount").decimalValue()).isEqualByComparingTo("100.00");
        assertThat(byRate.json().get("invoiceStatus").asText()).isEqualTo("partially_paid");
        assertThat(beyondTheCap.status()).isEqualTo(400);
        assertThat(beyondTheCap.json().get("errors").get(0).get("message").asText()).contains("20%");
    }

    @Test
    void aCreditNoteAndItsRefundLeaveInvoiceNotePaymentsAndAuditConsistent() {
        Issued invoice = stack.issued("Overcharged Pvt Ltd");
        pay(invoice, TOTAL_MINOR);

        Response credit = post("/api/v1/invoices/" + invoice.id() + "/credit-notes",
                "{\"reason\":\"overcharge\",\"memo\":\"Platform fee billed twice\",\"lines\":[{\"line\":1,\"amount\":100}]}");

        assertThat(credit.status()).as(credit.body()).isEqualTo(201);
        JsonNode note = credit.json();
        assertThat(note.get("creditNoteNumber").asText()).startsWith("CN").hasSizeLessThanOrEqualTo(16);
        assertThat(note.get("subtotal").decimalValue()).isEqualByComparingTo("100.00");
        assertThat(note.get("cgst").decimalValue()).isEqualByComparingTo("9.00");
        assertThat(note.get("sgst").decimalValue()).isEqualByComparingTo("9.00");
        assertThat(note.get("total").decimalValue()).isEqualByComparingTo("118.00");
        assertThat(note.get("lines").get(0).get("invoiceLine").asInt()).isEqualTo(1);
        assertThat(stack.invoice(invoice.id()).get("creditedTotal").decimalValue()).isEqualByComparingTo("118.00");

        Response refund = post("/api/v1/invoices/" + invoice.id() + "/refunds",
                "{\"amount\":118.00,\"reason\":\"overcharge\",\"creditNoteId\":\"" + note.get("id").asText() + "\"}");
        stack.awaitWebhooks();

        assertThat(refund.status()).as(refund.body()).isEqualTo(201);
        assertThat(refund.json().get("creditNoteId").asText()).isEqualTo(note.get("id").asText());
        JsonNode after = stack.invoice(invoice.id());
        assertThat(after.get("status").asText()).isEqualTo("paid");
        assertThat(after.get("amountPaid").decimalValue()).isEqualByComparingTo("1062.00");
        assertThat(after.get("creditedTotal").decimalValue()).isEqualByComparingTo("118.00");
        assertThat(after.get("balanceDue").decimalValue()).isEqualByComparingTo("0.00");
        assertThat(stack.payments(invoice.id()).get("amountRefundedMinor").asLong()).isEqualTo(11_800);
        assertThat(stack.client().get("/api/v1/invoices/" + invoice.id() + "/credit-notes", ADMIN_TOKEN).json()
                .get("creditNotes")).as("the refund needed no second note").hasSize(1);
        assertThat(auditCount(invoice.id(), "credit_note.issued")).isEqualTo(1);
        assertThat(stack.count("SELECT count(*) FROM audit_logs WHERE action IN ('refund.requested', 'payment.refunded')"
                + " AND organisation_id = (SELECT organisation_id FROM invoices WHERE id = ?)", invoice.id()))
                .isEqualTo(2);
        assertThat(statementCredit(invoice.id())).isZero();
    }

    @Test
    void aRefundWithoutACreditNoteGetsOneForTheSupplyItReduces() {
        Issued invoice = stack.issued("Refunded Pvt Ltd");
        pay(invoice, TOTAL_MINOR);

        Response refund = post("/api/v1/invoices/" + invoice.id() + "/refunds", "{\"amount\":590.00}");
        stack.awaitWebhooks();

        assertThat(refund.status()).as(refund.body()).isEqualTo(201);
        JsonNode notes = stack.client().get("/api/v1/invoices/" + invoice.id() + "/credit-notes", ADMIN_TOKEN).json()
                .get("creditNotes");
        assertThat(notes).singleElement().satisfies(n -> {
            assertThat(n.get("reason").asText()).isEqualTo("refund");
            assertThat(n.get("total").decimalValue()).isEqualByComparingTo("590.00");
            assertThat(n.get("subtotal").decimalValue()).isEqualByComparingTo("500.00");
            assertThat(n.get("cgst").decimalValue()).isEqualByComparingTo("45.00");
        });
        assertThat(stack.database().queryValue(UUID.class, "SELECT credit_note_id FROM refunds WHERE id = ?",
                UUID.fromString(refund.json().get("id").asText())))
                .isEqualTo(UUID.fromString(notes.get(0).get("id").asText()));
        JsonNode after = stack.invoice(invoice.id());
        assertThat(after.get("status").asText()).isEqualTo("paid");
        assertThat(after.get("balanceDue").decimalValue()).isEqualByComparingTo("0.00");
        assertThat(statementCredit(invoice.id())).isZero();
    }

    @Test
    void concurrentCreditNotesNeverCreditMoreThanTheInvoice() throws Exception {
        Issued invoice = stack.issued("Credited Twice Ltd");
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Response>> notes = IntStream.range(0, 8).mapToObj(i -> CompletableFuture.supplyAsync(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return post("/api/v1/invoices/" + invoice.id() + "/credit-notes",
                    "{\"reason\":\"service_issue\",\"lines\":[{\"line\":1,\"amount\":300}]}");
        })).toList();
        go.countDown();

        long created = 0;
        for (CompletableFuture<Response> note : notes) {
            Response response = note.get();
            assertThat(response.status()).as(response.body()).isIn(201, 400, 409);
            created += response.status() == 201 ? 1 : 0;
        }

        assertThat(created).isEqualTo(3);
        assertThat(stack.count("SELECT sum(total_minor)::bigint FROM credit_notes WHERE invoice_id = ?", invoice.id()))
                .isEqualTo(3 * 35_400L);
        assertThat(stack.count("SELECT count(DISTINCT credit_note_number) FROM credit_notes WHERE invoice_id = ?",
                invoice.id())).isEqualTo(3);
        Response whole = post("/api/v1/invoices/" + invoice.id() + "/credit-notes", "{\"reason\":\"other\",\"whole\":true}");
        assertThat(whole.status()).as(whole.body()).isEqualTo(201);
        assertThat(whole.json().get("total").decimalValue()).isEqualByComparingTo("118.00");
        JsonNode after = stack.invoice(invoice.id());
        assertThat(after.get("creditedTotal").decimalValue()).isEqualByComparingTo("1180.00");
        assertThat(after.get("status").asText()).isEqualTo("paid");
        Response more = post("/api/v1/invoices/" + invoice.id() + "/credit-notes", "{\"reason\":\"other\",\"whole\":true}");
        assertThat(more.status()).isEqualTo(409);
    }

    @Test
    void anIssuedCreditNoteCannotBeChangedOrDeletedAndTheDatabaseCapsTheTotal() {
        Issued invoice = stack.issued("Immutable Notes Ltd");
        Response credit = post("/api/v1/invoices/" + invoice.id() + "/credit-notes",
                "{\"reason\":\"overcharge\",\"lines\":[{\"line\":1,\"quantity\":0.5}]}");
        assertThat(credit.status()).as(credit.body()).isEqualTo(201);
        assertThat(credit.json().get("subtotal").decimalValue()).isEqualByComparingTo("500.00");
        UUID id = UUID.fromString(credit.json().get("id").asText());

        assertThatThrownBy(() -> stack.database().update("UPDATE credit_notes SET memo = 'edited' WHERE id = ?", id))
                .rootCause().hasMessageContaining("immutable");
        assertThatThrownBy(() -> stack.database().update("DELETE FROM credit_notes WHERE id = ?", id))
                .rootCause().hasMessageContaining("immutable");
        assertThatThrownBy(() -> stack.database().update(
                "UPDATE credit_note_lines SET amount_minor = 1 WHERE credit_note_id = ?", id))
                .rootCause().hasMessageContaining("immutable");
        assertThatThrownBy(() -> stack.database().update("""
                INSERT INTO credit_notes (id, invoice_id, organisation_id, credit_note_number, reason, currency,
                                          subtotal_minor, cgst_minor, sgst_minor, igst_minor, total_minor)
                SELECT gen_random_uuid(), id, organisation_id, 'CN-FORGED', 'other', currency, 50001, 0, 0, 0, 50001
                  FROM invoices WHERE id = ?""", invoice.id()))
                .rootCause().hasMessageContaining("exceed");
    }

    @Test
    void anOverpaymentIsCustomerCreditAppliedToTheNextInvoice() throws Exception {
        Issued january = stack.issued("Overpayer Pvt Ltd");
        OrgFixture org = stack.lastOrganisation();
        pay(january, TOTAL_MINOR + 50_000);
        assertThat(stack.invoice(january.id()).get("status").asText()).isEqualTo("paid");
        assertThat(auditCount(january.id(), "payment.credited")).isEqualTo(1);

        ProjectFixture project = stack.running().createProject(org.id(), "Second");
        stack.running().aggregate(project, "platform", "2026-02", "1", 1, "1", "1", true);
        Response generated = post("/api/v1/invoices/generate",
                "{\"period\":\"2026-02\",\"organisationId\":\"" + org.id() + "\"}");
        UUID february = UUID.fromString(generated.json().get("invoiceIds").get(0).asText());
        Response issued = stack.issue(february);

        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        JsonNode after = issued.json();
        assertThat(after.get("appliedCredit").decimalValue()).isEqualByComparingTo("500.00");
        assertThat(after.get("status").asText()).isEqualTo("partially_paid");
        assertThat(after.get("balanceDue").decimalValue()).isEqualByComparingTo("680.00");
        assertThat(stack.ordersWithReceipt(after.get("invoiceNumber").asText())).hasSize(1);
        Order order = new RazorpayClient(PaymentStack.KEY_ID, PaymentStack.KEY_SECRET).orders
                .fetch(after.get("razorpayOrderId").asText());
        assertThat(Long.parseLong(order.get("amount").toString())).as("the order asks for what is due").isEqualTo(68_000);
        assertThat(statementCredit(february)).isZero();
    }

    /** The organisation's customer credit, as its statement shows it, in paise. */
    private static long statementCredit(UUID invoiceId) {
        UUID org = stack.database().queryValue(UUID.class, "SELECT organisation_id FROM invoices WHERE id = ?", invoiceId);
        JsonNode statement = stack.client().get("/api/v1/organisations/" + org + "/statement", ADMIN_TOKEN).json();
        return statement.get("customerCreditMinor").asLong();
    }
}
