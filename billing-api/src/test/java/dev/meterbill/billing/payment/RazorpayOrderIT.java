package dev.meterbill.billing.payment;

import static dev.meterbill.billing.testutils.PaymentStack.TOTAL_MINOR;
import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.razorpay.Order;
import com.razorpay.RazorpayClient;
import dev.meterbill.billing.testutils.PaymentStack;
import dev.meterbill.billing.testutils.SdkFaults;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issuing creates the invoice's Razorpay order through razorpay-java (against the emulator), and a
 * retry after a lost answer, a failed commit or an unreachable Razorpay never creates a second one.
 */
class RazorpayOrderIT {

    @RegisterExtension
    static final PaymentStack stack = PaymentStack.perClass();

    @Test
    void issuingCreatesAnOrderForTheTotalInPaiseWithTheInvoiceNumberAsReceipt() throws Exception {
        UUID id = stack.draftInvoice("Order Pvt Ltd");

        Response issued = stack.issue(id);

        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        JsonNode invoice = issued.json();
        String orderId = invoice.get("razorpayOrderId").asText();
        Order order = new RazorpayClient(PaymentStack.KEY_ID, PaymentStack.KEY_SECRET).orders.fetch(orderId);
        JSONObject json = order.toJson();
        assertThat(json.getLong("amount")).isEqualTo(TOTAL_MINOR).isEqualTo(invoice.get("totalMinor").asLong());
        assertThat(json.getString("currency")).isEqualTo("INR");
        assertThat(json.getString("receipt")).isEqualTo(invoice.get("invoiceNumber").asText());
        assertThat(json.getJSONObject("notes").getString("invoiceId")).isEqualTo(id.toString());
        assertThat(json.getJSONObject("notes").getString("organisationId"))
                .isEqualTo(invoice.get("organisationId").asText());
        assertThat(stack.database().queryValue(String.class, "SELECT razorpay_order_id FROM invoices WHERE id = ?", id))
                .isEqualTo(orderId);
        assertThat(stack.count("SELECT count(*) FROM audit_logs WHERE entity_id = ? AND action = 'invoice.order_attached'",
                id.toString())).isEqualTo(1);
    }

    @Test
    void issuingAgainReturnsTheSameInvoiceAndOrder() {
        JsonNode first = stack.issuedInvoice("Reissue Ltd");
        UUID id = UUID.fromString(first.get("id").asText());

        Response again = stack.issue(id);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("razorpayOrderId").asText()).isEqualTo(first.get("razorpayOrderId").asText());
        assertThat(again.json().get("invoiceNumber").asText()).isEqualTo(first.get("invoiceNumber").asText());
        assertThat(stack.ordersWithReceipt(first.get("invoiceNumber").asText())).hasSize(1);
    }

    @Test
    void anIssueWhoseOrderAnswerWasLostIsRetriedWithoutASecondOrder() {
        UUID id = stack.draftInvoice("Timeout Ltd");

        Response lost;
        try (SdkFaults faults = SdkFaults.loseAnswers("POST", "/v1/orders", 1)) {
            lost = stack.issue(id);
        }
        Response retried = stack.issue(id);

        assertThat(lost.status()).as(lost.body()).isEqualTo(502);
        assertThat(lost.json().get("type").asText()).endsWith("/payment-provider-error");
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        String number = retried.json().get("invoiceNumber").asText();
        List<String> orders = stack.ordersWithReceipt(number);
        assertThat(orders).as("Razorpay holds one order for the invoice").hasSize(1);
        assertThat(retried.json().get("razorpayOrderId").asText()).isEqualTo(orders.get(0));
        assertThat(stack.database().queryValue(String.class,
                "SELECT after_state->>'adopted' FROM audit_logs WHERE entity_id = ? AND action = 'invoice.order_attached'",
                id.toString())).isEqualTo("true");
    }

    @Test
    void anIssueWhoseCommitFailedAfterTheOrderWasCreatedAdoptsThatOrderOnRetry() {
        UUID id = stack.draftInvoice("Crash Ltd");
        stack.database().update("""
                CREATE FUNCTION simulated_crash() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'simulated crash before commit'; END $$""");
        stack.database().update("""
                CREATE TRIGGER simulated_crash BEFORE UPDATE OF razorpay_order_id ON invoices
                FOR EACH ROW WHEN (NEW.razorpay_order_id IS NOT NULL) EXECUTE FUNCTION simulated_crash()""");
        Response crashed;
        try {
            crashed = stack.issue(id);
        } finally {
            stack.database().update("DROP TRIGGER simulated_crash ON invoices");
            stack.database().update("DROP FUNCTION simulated_crash()");
        }
        JsonNode afterCrash = stack.invoice(id);

        Response retried = stack.issue(id);

        assertThat(crashed.status()).isEqualTo(500);
        assertThat(afterCrash.get("status").asText()).as("the issue itself committed first").isEqualTo("issued");
        assertThat(afterCrash.get("razorpayOrderId").isNull()).isTrue();
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        List<String> orders = stack.ordersWithReceipt(afterCrash.get("invoiceNumber").asText());
        assertThat(orders).hasSize(1);
        assertThat(retried.json().get("razorpayOrderId").asText()).isEqualTo(orders.get(0));
    }

    @Test
    void anInvoiceIssuedWhileRazorpayWasUnreachableGetsItsOrderFromTheReconciliation() {
        UUID id = stack.draftInvoice("Outage Ltd");

        Response issued;
        try (SdkFaults faults = SdkFaults.unreachable()) {
            issued = stack.issue(id);
        }
        JsonNode stranded = stack.invoice(id);
        Response reconciled = stack.reconcile("{\"invoiceId\":\"" + id + "\"}");

        assertThat(issued.status()).isEqualTo(502);
        assertThat(stranded.get("status").asText()).isEqualTo("issued");
        assertThat(stranded.get("razorpayOrderId").isNull()).isTrue();
        assertThat(reconciled.status()).as(reconciled.body()).isEqualTo(200);
        assertThat(reconciled.json().get("ordersAttached").asInt()).isEqualTo(1);
        assertThat(stack.ordersWithReceipt(stranded.get("invoiceNumber").asText()))
                .containsExactly(stack.invoice(id).get("razorpayOrderId").asText());
    }

    @Test
    void concurrentIssuesOfOneInvoiceCreateOneOrder() throws Exception {
        UUID id = stack.draftInvoice("Race Ltd");
        List<Thread> threads = new ArrayList<>();
        List<Response> answers = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 4; i++) {
            Thread thread = new Thread(() -> answers.add(stack.issue(id)));
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(answers).extracting(Response::status).containsOnly(200);
        assertThat(answers).extracting(r -> r.json().get("razorpayOrderId").asText()).containsOnly(
                stack.invoice(id).get("razorpayOrderId").asText());
        assertThat(stack.ordersWithReceipt(stack.invoice(id).get("invoiceNumber").asText())).hasSize(1);
    }

    @Test
    void anIdempotencyKeyReplaysTheIssueWithItsOrder() {
        UUID id = stack.draftInvoice("Keyed Ltd");

        Response first = stack.client().send("POST", "/api/v1/invoices/" + id + "/issue", ADMIN_TOKEN, null,
                "Idempotency-Key", "issue-" + id);
        Response replay = stack.client().send("POST", "/api/v1/invoices/" + id + "/issue", ADMIN_TOKEN, null,
                "Idempotency-Key", "issue-" + id);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.json().get("razorpayOrderId").asText()).isEqualTo(first.json().get("razorpayOrderId").asText());
    }
}
