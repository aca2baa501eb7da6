package dev.meterbill.razorpay.emulator;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Razorpay Checkout as the emulator plays it for a browser: {@code /checkout/v1/checkout.js} is the script a page
 * loads instead of checkout.razorpay.com's, and {@code /checkout/v1/pay} the page its modal frame shows, where the
 * customer pays, fails or cancels. Paying captures the payment like {@link RazorpayEmulator#pay} (webhooks
 * included) and hands the page that opened checkout the payment id, order id and signature, as Razorpay does.
 */
final class CheckoutPages {

    private final RazorpayEmulator emulator;
    private final String keyId;
    private final String script;

    CheckoutPages(RazorpayEmulator emulator, String keyId) {
        this.emulator = emulator;
        this.keyId = keyId;
        try (InputStream in = CheckoutPages.class.getResourceAsStream("/checkout/checkout.js")) {
            this.script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void register(RoutesConfig routes) {
        routes.get("/checkout/v1/checkout.js", ctx -> ctx.contentType("text/javascript; charset=utf-8").result(script));
        routes.get("/checkout/v1/pay", this::page);
        routes.post("/checkout/v1/pay", this::act);
    }

    private void page(Context ctx) {
        String orderId = ctx.queryParam("order_id");
        if (!keyId.equals(ctx.queryParam("key_id"))) {
            done(ctx, "{type:'failed',error:{code:'BAD_REQUEST_ERROR',description:'The api key provided is invalid'}}",
                    "Invalid key");
            return;
        }
        Map<String, Object> order;
        try {
            order = emulator.order(orderId);
        } catch (RazorpayApiException e) {
            done(ctx, "{type:'failed',error:{code:'BAD_REQUEST_ERROR',description:'The id provided does not exist'}}",
                    "Unknown order");
            return;
        }
        String amount = ctx.queryParam("amount") == null || ctx.queryParam("amount").isBlank()
                ? String.valueOf(order.get("amount_due")) : ctx.queryParam("amount");
        ctx.contentType("text/html; charset=utf-8").result("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"UTF-8\">"
                + "<title>Razorpay Checkout (emulator)</title><style>body{font:16px system-ui,sans-serif;margin:0;"
                + "display:flex;align-items:center;justify-content:center;min-height:100vh}main{background:#fff;"
                + "padding:24px;border-radius:8px;max-width:360px;width:100%}button{font:inherit;margin:4px;padding:8px 16px}"
                + "</style></head><body><main><h1>Razorpay Checkout</h1><p>Emulator: no money moves.</p><p>"
                + esc(ctx.queryParam("name")) + "<br>" + esc(ctx.queryParam("description")) + "</p><p>Order <code>"
                + esc(orderId) + "</code>: <b id=\"amount\">" + esc(amount) + "</b> " + esc(String.valueOf(order.get("currency")))
                + " (minor units)</p><form method=\"post\" action=\"/checkout/v1/pay\">"
                + "<input type=\"hidden\" name=\"order_id\" value=\"" + esc(orderId) + "\">"
                + "<input type=\"hidden\" name=\"amount\" value=\"" + esc(amount) + "\">"
                + "<button id=\"pay\" name=\"action\" value=\"pay\">Pay</button>"
                + "<button id=\"fail\" name=\"action\" value=\"fail\">Fail payment</button>"
                + "<button id=\"cancel\" name=\"action\" value=\"cancel\">Cancel</button></form></main></body></html>");
    }

    private void act(Context ctx) {
        String orderId = ctx.formParam("order_id");
        String action = String.valueOf(ctx.formParam("action"));
        try {
            switch (action) {
                case "pay" -> {
                    PaymentSimulation simulation = PaymentSimulation.captured();
                    String amount = ctx.formParam("amount");
                    if (amount != null && amount.matches("[0-9]{1,15}")) {
                        simulation = simulation.amount(Long.parseLong(amount));
                    }
                    SimulatedPayment paid = emulator.pay(orderId, simulation);
                    done(ctx, "{type:'success',response:{razorpay_payment_id:'" + js(paid.paymentId())
                            + "',razorpay_order_id:'" + js(orderId) + "',razorpay_signature:'"
                            + js(paid.checkoutSignature()) + "'}}", "Payment successful");
                }
                case "fail" -> {
                    emulator.pay(orderId, PaymentSimulation.failed());
                    done(ctx, "{type:'failed',error:{code:'BAD_REQUEST_ERROR',description:'Payment failed',"
                            + "reason:'payment_failed'}}", "Payment failed");
                }
                default -> done(ctx, "{type:'dismissed'}", "Cancelled");
            }
        } catch (RazorpayApiException e) {
            done(ctx, "{type:'failed',error:{code:'BAD_REQUEST_ERROR',description:'" + js(e.getMessage()) + "'}}",
                    "Payment failed");
        }
    }

    /** Tells the page that opened checkout what happened, as Razorpay's frame does. */
    private static void done(Context ctx, String message, String title) {
        ctx.contentType("text/html; charset=utf-8").result("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"UTF-8\">"
                + "<title>" + esc(title) + "</title></head><body><p>" + esc(title) + "</p><script>parent.postMessage("
                + message + ", '*');</script></body></html>");
    }

    private static String esc(String value) {
        return value == null ? "" : value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static String js(String value) {
        return value == null ? "" : value.replace("\\", "\\\\").replace("'", "\\'").replace("<", "\\x3c");
    }
}
