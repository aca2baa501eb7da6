package dev.meterbill.razorpay.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.razorpay.emulator.testutils.EmulatorExtension;
import dev.meterbill.razorpay.emulator.testutils.RazorpayHttp;
import dev.meterbill.razorpay.emulator.testutils.RazorpayHttp.Answer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The /v1/orders contract: entity shape, validation in Razorpay's error format, lookup by receipt, auth. */
class OrdersApiTest {

    static final String KEY_ID = "rzp_test_orders";
    static final String KEY_SECRET = "orders_secret";
    @RegisterExtension
    static final EmulatorExtension emulator = new EmulatorExtension(KEY_ID, KEY_SECRET);

    @Test
    void createdOrderHasRazorpaysFieldsAndIsDueInFull() {
        Answer created = emulator.api().post("/v1/orders", Map.of("amount", 118000, "currency", "INR", "receipt", "INV-2026-0001",
                "notes", Map.of("invoice_id", "inv-1", "organisation_id", "org-1")));

        assertThat(created.status()).isEqualTo(200);
        Map<String, Object> order = created.body();
        assertThat((String) order.get("id")).matches("order_[0-9A-Za-z]{14}");
        assertThat(order).containsEntry("entity", "order").containsEntry("amount", 118000)
                .containsEntry("amount_paid", 0).containsEntry("amount_due", 118000).containsEntry("currency", "INR")
                .containsEntry("receipt", "INV-2026-0001").containsEntry("status", "created")
                .containsEntry("attempts", 0)
                .containsEntry("notes", Map.of("invoice_id", "inv-1", "organisation_id", "org-1"));
        assertThat(((Number) order.get("created_at")).longValue())
                .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
    }

    @Test
    void emptyNotesAreRenderedAsAnEmptyArrayAsRazorpayDoes() {
        Answer created = emulator.api().post("/v1/orders", Map.of("amount", 100, "currency", "INR"));

        assertThat(created.body()).containsEntry("notes", List.of()).containsEntry("receipt", null);
    }

    @Test
    void anOrderIsFetchedById() {
        String id = (String) emulator.api().post("/v1/orders", Map.of("amount", 5000, "currency", "INR")).body().get("id");

        Answer fetched = emulator.api().get("/v1/orders/" + id);

        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.body()).containsEntry("id", id).containsEntry("amount", 5000);
    }

    @Test
    void anUnknownOrWellFormedButMissingIdIsA400() {
        Answer missing = emulator.api().get("/v1/orders/order_AAAAAAAAAAAAAA");
        Answer malformed = emulator.api().get("/v1/orders/nonsense");

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.error()).containsEntry("code", "BAD_REQUEST_ERROR")
                .containsEntry("description", "The id provided does not exist");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.error()).containsEntry("description", "nonsense is not a valid id");
    }

    @Test
    void ordersAreFoundByReceiptSoAnIssueRetriedAfterACrashFindsItsOrder() {
        String id = (String) emulator.api().post("/v1/orders", Map.of("amount", 5000, "currency", "INR", "receipt", "INV-7"))
                .body().get("id");
        emulator.api().post("/v1/orders", Map.of("amount", 7000, "currency", "INR", "receipt", "INV-8"));

        Answer found = emulator.api().get("/v1/orders?receipt=INV-7");
        Answer none = emulator.api().get("/v1/orders?receipt=INV-404");

        assertThat(found.body()).containsEntry("entity", "collection").containsEntry("count", 1);
        assertThat(found.items()).singleElement().satisfies(o -> assertThat(o).containsEntry("id", id));
        assertThat(none.body()).containsEntry("count", 0).containsEntry("items", List.of());
    }

    @Test
    void listingIsNewestFirstAndPaged() {
        for (int i = 1; i <= 3; i++) {
            emulator.api().post("/v1/orders", Map.of("amount", 100 * i, "currency", "INR", "receipt", "R" + i));
        }

        Answer page = emulator.api().get("/v1/orders?count=2&skip=1");

        assertThat(page.items()).extracting(o -> o.get("receipt")).containsExactly("R2", "R1");
        assertThat(emulator.api().get("/v1/orders?count=101").status()).isEqualTo(400);
    }

    @Test
    void aReceiptIsUniqueAcrossOrders() {
        emulator.api().post("/v1/orders", Map.of("amount", 5000, "currency", "INR", "receipt", "INV-9"));

        Answer again = emulator.api().post("/v1/orders", Map.of("amount", 5000, "currency", "INR", "receipt", "INV-9"));

        assertThat(again.status()).isEqualTo(400);
        assertThat(again.error()).containsEntry("description", "Order receipt should be unique.")
                .containsEntry("field", "receipt");
    }

    static List<Object[]> invalidOrders() {
        Map<String, Object> manyNotes = new LinkedHashMap<>();
        for (int i = 0; i < 16; i++) {
            manyNotes.put("k" + i, "v");
        }
        return List.of(
                new Object[] {Map.of("amount", 99, "currency", "INR"), "amount", "The amount must be at least INR 1.00"},
                new Object[] {Map.of("amount", 100.5, "currency", "INR"), "amount", "The amount must be an integer."},
                new Object[] {Map.of("currency", "INR"), "amount", "amount: is required."},
                new Object[] {Map.of("amount", 500), "currency", "currency: is required."},
                new Object[] {Map.of("amount", 500, "currency", 1), "currency", "expected string but provided 1"},
                new Object[] {Map.of("amount", 500, "currency", "INR", "receipt", "R".repeat(41)), "receipt",
                        "The receipt may not be greater than 40 characters."},
                new Object[] {Map.of("amount", 500, "currency", "INR", "notes", manyNotes), "notes",
                        "Number of fields in notes should be less than or equal to 15"},
                new Object[] {Map.of("amount", 500, "currency", "INR", "colour", "red"), "colour",
                        "colour is/are not required and should not be sent"});
    }

    @ParameterizedTest
    @MethodSource("invalidOrders")
    void invalidInputIsA400InRazorpaysErrorFormat(Map<String, Object> body, String field, String description) {
        Answer answer = emulator.api().post("/v1/orders", body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).containsEntry("code", "BAD_REQUEST_ERROR").containsEntry("description", description)
                .containsEntry("field", field).containsKeys("source", "step", "reason", "metadata");
    }

    @Test
    void aBodyThatIsNotJsonIsA400() {
        assertThat(emulator.api().post("/v1/orders", "{not json").status()).isEqualTo(400);
    }

    @Test
    void wrongOrMissingCredentialsAre401BeforeAnythingElse() {
        Answer wrong = new RazorpayHttp(emulator.get().baseUrl(), KEY_ID, "wrong").post("/v1/orders",
                Map.of("amount", 500, "currency", "INR"));
        Answer none = new RazorpayHttp(emulator.get().baseUrl(), null, null).get("/v1/orders");
        Answer unknownPath = new RazorpayHttp(emulator.get().baseUrl(), KEY_ID, "wrong").get("/v1/nothing-here");

        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(Map.of("error",
                Map.of("code", "BAD_REQUEST_ERROR", "description", "Authentication failed")));
        assertThat(none.status()).isEqualTo(401);
        assertThat(unknownPath.status()).isEqualTo(401);
        assertThat(emulator.api().get("/v1/orders").status()).isEqualTo(200);
        assertThat(emulator.get().events()).isEmpty();
    }

    @Test
    void anUnknownUrlIsA400LikeRazorpays() {
        Answer answer = emulator.api().get("/v1/nothing-here");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).containsEntry("description", "The requested URL was not found on the server.");
    }
}
