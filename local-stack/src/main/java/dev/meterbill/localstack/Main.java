package dev.meterbill.localstack;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** {@code up}: run the whole platform until Ctrl-C. {@code demo}: run it, play the scenario, exit 0 or 1. */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "up" : args[0];
        LocalStackConfig config = LocalStackConfig.fromEnv(System.getenv(), Path.of(".local-stack"));
        switch (command) {
            case "up" -> up(config);
            case "demo" -> System.exit(demo(config) ? 0 : 1);
            default -> {
                System.err.println("usage: Main up|demo");
                System.exit(2);
            }
        }
    }

    private static void up(LocalStackConfig config) throws Exception {
        LocalStack stack = LocalStack.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping...");
            stack.close();
            stopped.countDown();
        }, "local-stack-shutdown"));
        System.out.printf("""

                meterbill local stack is up (database %s, Kafka %s)
                  ingest gateway : %s   (POST /api/v1/ingest with a project API key)
                  billing API    : %s   (operator token: %s)
                  Razorpay       : %s   (local emulator; customers pay with POST /_emulator/orders/{orderId}/pay)
                Ctrl-C stops everything.
                """, config.dbName(), stack.kafkaBootstrapServers(), stack.gatewayUrl(), stack.billingApiUrl(),
                stack.adminToken(), stack.razorpayUrl());
        stopped.await();
    }

    /**
     * Plays the demo against a running {@code ./billing up} when there is one (so the portal link it prints keeps
     * working after the demo ends), otherwise against a stack of its own.
     */
    private static boolean demo(LocalStackConfig config) throws Exception {
        String billingApiUrl = "http://localhost:" + config.billingApiPort();
        if (isUp(billingApiUrl)) {
            System.out.printf("playing against the running local stack (./billing up): billing API %s%n", billingApiUrl);
            return play(System.out, billingApiUrl, "http://localhost:" + config.gatewayPort(), config.adminToken(),
                    "http://localhost:" + config.razorpayPort(), config.workDir(), true);
        }
        try (LocalStack stack = LocalStack.start(config)) {
            System.out.printf("local stack up: gateway %s, billing API %s%n", stack.gatewayUrl(), stack.billingApiUrl());
            return play(System.out, stack.billingApiUrl(), stack.gatewayUrl(), stack.adminToken(), stack.razorpayUrl(),
                    config.workDir(), false);
        } catch (Exception e) {
            System.out.println("DEMO FAILED: " + e.getMessage());
            return false;
        }
    }

    private static boolean isUp(String billingApiUrl) {
        try {
            return new ApiClient().get(billingApiUrl + "/health/ready", null).status() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean play(java.io.PrintStream out, String billingApiUrl, String gatewayUrl, String adminToken,
                                String razorpayUrl, Path workDir, boolean attached) throws Exception {
        DemoScenario usage = new DemoScenario(out, Clock.systemUTC());
        DemoLifecycle lifecycle = new DemoLifecycle(out, Clock.systemUTC());
        lifecycle.sendUsage(billingApiUrl, gatewayUrl, adminToken);
        if (!usage.run(billingApiUrl, gatewayUrl, adminToken, 10_000, Duration.ofMinutes(3))) {
            return false;
        }
        DemoBilling billing = new DemoBilling(out);
        try (DemoWebhooks webhooks = new DemoWebhooks()) {
            webhooks.register(billingApiUrl, adminToken, usage.organisationId());
            boolean ok = billing.run(billingApiUrl, adminToken, razorpayUrl, usage.organisationId(), usage.previousPeriod(),
                    Duration.ofSeconds(60))
                    && lifecycle.run(billingApiUrl, adminToken, razorpayUrl, Duration.ofSeconds(60))
                    && webhooks.awaitAndPrint(out, Duration.ofSeconds(60));
            if (!ok) {
                return false;
            }
        }
        out.printf("the invoice e-mail (PDF attached, link to its hosted page), as the local SMTP server received it: %s%n",
                LocalStack.saveEmail(workDir, billing.invoiceNumber(), Path.of(System.getProperty("java.io.tmpdir"),
                        "meterbill-demo"), Duration.ofSeconds(60)).toAbsolutePath());
        String portal = new ApiClient().post(billingApiUrl + "/api/v1/organisations/" + usage.organisationId()
                + "/portal-sessions", adminToken, java.util.Map.of()).expect(201).body().get("url").asText();
        out.printf("the customer portal of Acme Analytics (the link opens once, within 15 minutes): %s%n", portal);
        if (!attached) {
            out.println("  (this demo's stack stops now: start ./billing up in another terminal, run ./billing demo "
                    + "again, and the link it prints stays open)");
        }
        return true;
    }
}
