package dev.meterbill.billing.portal;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.billing.testutils.Browser;
import dev.meterbill.billing.testutils.PaymentStack;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal in a real headless Chromium: a customer opens the link their provider's app gave them, sees the
 * running period's usage charted with the right totals and the bill so far, opens an invoice, pays it on the
 * Razorpay emulator's checkout, and sees it paid; a reused or expired link and another organisation's invoice
 * land on refusal pages. The run's screenshots are what docs/img/ shows.
 */
class PortalBrowserIT {

    @RegisterExtension
    static final PaymentStack stack = PaymentStack.perClass();
    private static ChromeDriver browser;
    private static final YearMonth RUNNING = YearMonth.now(ZoneId.of("Asia/Kolkata"));

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start(1280, 1500);
    }

    @AfterAll
    static void quitBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static RunningBillingApi running() {
        return stack.running();
    }

    private static String base() {
        return "http://127.0.0.1:" + running().api().port();
    }

    private static String portalLink(OrgFixture org) {
        Response created = stack.client().postJson("/api/v1/organisations/" + org.id() + "/portal-sessions",
                org.secretKey(), "");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("url").asText();
    }


    /** An organisation with an issued invoice for January 2026 and usage in the running period. */
    private static OrgFixture customer(String name) {
        OrgFixture org = running().createOrganisation(name, "Asia/Kolkata", "29");
        UUID plan = running().createPlan("""
                {"name":"Browser %s","currency":"INR","charges":[
                  {"metricName":"api_calls","aggregation":"sum","model":"per_unit","unitPrice":0.5,"freeUnits":100},
                  {"metricName":"platform","aggregation":"sum","model":"flat","flatFee":999}]}""".formatted(org.id()));
        running().subscribe(org.id(), plan, "2026-01-01");
        ProjectFixture web = running().createProject(org.id(), "web-app");
        ProjectFixture mobile = running().createProject(org.id(), "mobile-app");
        running().aggregate(web, "api_calls", "2026-01", "2100", 2100, "1", "1", true);
        String invoice = running().generateInvoice(org.id(), "2026-01");
        Response issued = stack.client().postJson("/api/v1/invoices/" + invoice + "/issue", ADMIN_TOKEN, "");
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        running().aggregate(web, "api_calls", RUNNING.toString(), "1200", 1200, "1", "1", false);
        running().aggregate(mobile, "api_calls", RUNNING.toString(), "300", 300, "1", "1", false);
        running().daily(web, RUNNING.atDay(2).toString(), "500");
        running().daily(web, RUNNING.atDay(14).toString(), "700");
        running().daily(mobile, RUNNING.atDay(14).toString(), "300");
        return org;
    }

    private static WebDriverWait waiting(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    @Test
    void aCustomerSeesTheirUsageOpensAnInvoiceAndPaysIt() {
        OrgFixture org = customer("Browser Customer Pvt Ltd");
        String link = portalLink(org);

        browser.get(link);

        assertThat(browser.getCurrentUrl()).isEqualTo(base() + "/portal").doesNotContain("open");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Usage");
        assertThat(browser.findElement(By.cssSelector(".figure[data-metric='api_calls']")).getText()).isEqualTo("1,500");
        List<WebElement> bars = browser.findElements(By.cssSelector(".metric > .chart svg[data-chart='api_calls'] rect.bar"));
        assertThat(bars).extracting(b -> b.getAttribute("data-day") + "=" + b.getAttribute("data-value"))
                .containsExactly(RUNNING.atDay(2) + "=500", RUNNING.atDay(14) + "=1000");
        assertThat(bars.get(1).getSize().getHeight()).as("the 1,000 day is the tallest bar, drawn")
                .isGreaterThan(bars.get(0).getSize().getHeight()).isPositive();
        // 1,400 billable x 0.50 + 999.00 = 1,699.00; CGST and SGST 152.91 each
        assertThat(browser.findElement(By.cssSelector("[data-estimate-total]")).getText()).isEqualTo("\u20B92,004.82");
        Browser.screenshot(browser, "portal-usage");

        browser.findElement(By.linkText("Invoices")).click();
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Invoices");
        browser.findElement(By.cssSelector("table.invoices a")).click();
        assertThat(browser.getCurrentUrl()).as("no token in the address bar").isEqualTo(base() + "/i");
        // 2,000 billable x 0.50 + 999.00 = 1,999.00 + 18 % = 2,358.82
        WebElement pay = waiting(10).until(ExpectedConditions.elementToBeClickable(By.id("pay")));
        assertThat(pay.getText()).isEqualTo("Pay \u20B92,358.82");
        Browser.screenshot(browser, "hosted-invoice");

        pay.click();
        WebElement frame = waiting(10).until(ExpectedConditions.presenceOfElementLocated(By.id("razorpay-checkout-frame")));
        browser.switchTo().frame(frame);
        waiting(10).until(ExpectedConditions.elementToBeClickable(By.id("pay"))).click();
        browser.switchTo().defaultContent();

        // the page replaces its pay bar when the payment lands: a node read mid-swap is gone, so read it again
        waiting(30).ignoring(WebDriverException.class)
                .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".paybar .state"), "Paid on"));
        assertThat(browser.findElements(By.id("pay"))).isEmpty();
        assertThat(stack.client().get("/api/v1/invoices?organisationId=" + org.id(), ADMIN_TOKEN).json()
                .get("invoices").get(0).get("status").asText()).isEqualTo("paid");
        Browser.screenshot(browser, "hosted-invoice-paid");

        browser.get(base() + "/portal/payments");
        browser.findElement(By.cssSelector("a[href$='/receipt']")).click();
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Payment receipt");
        assertThat(browser.findElement(By.cssSelector(".receipt dl")).getText()).contains("Browser Customer Pvt Ltd",
                "\u20B92,358.82", "MB2627-");
    }

    @Test
    void everyPageFitsAPhoneScreen() {
        OrgFixture org = customer("Browser Phone Pvt Ltd");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            browser.get(portalLink(org));
            for (String page : new String[] {"/portal", "/portal/invoices", "/portal/payments"}) {
                browser.get(base() + page);
                assertThat(pageWidth()).as(page + " scrolls sideways on a phone").isLessThanOrEqualTo(390L);
            }
            browser.findElement(By.linkText("Invoices")).click();
            browser.findElement(By.cssSelector("table.invoices a")).click();
            assertThat(pageWidth()).as("the hosted invoice page scrolls sideways on a phone").isLessThanOrEqualTo(390L);
            Browser.screenshot(browser, "hosted-invoice-phone");
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1500));
        }
    }

    private static long pageWidth() {
        return (Long) browser.executeScript("return document.documentElement.scrollWidth;");
    }

    @Test
    void aReusedOrExpiredLinkAndAnotherOrganisationsInvoiceLandOnRefusals() throws Exception {
        OrgFixture org = customer("Browser Refusals Ltd");
        OrgFixture other = customer("Browser Other Ltd");
        String otherInvoice = stack.client().get("/api/v1/invoices?organisationId=" + other.id(), ADMIN_TOKEN).json()
                .get("invoices").get(0).get("id").asText();
        String link = portalLink(org);
        browser.get(link);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Usage");

        browser.get(link);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("This link cannot be used");

        browser.get(base() + "/portal/invoices/" + otherInvoice);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not found");
        assertThat(browser.getPageSource()).doesNotContain("Browser Other Ltd");

        String expired;
        try (Connection c = running().database().connect()) {
            expired = new PortalSessions().create(c, org.id(), "test", Instant.now().minus(Duration.ofMinutes(16)))
                    .token();
        }
        browser.manage().deleteAllCookies();
        browser.get(base() + "/portal/open/" + expired);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("This link cannot be used");
        browser.get(base() + "/portal");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Your session has ended");
    }
}
