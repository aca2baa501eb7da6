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

    private static boolean demo(LocalStackConfig config) throws Exception {
        try (LocalStack stack = LocalStack.start(config)) {
            System.out.printf("local stack up: gateway %s, billing API %s%n", stack.gatewayUrl(), stack.billingApiUrl());
            DemoScenario usage = new DemoScenario(System.out, Clock.systemUTC());
            DemoLifecycle lifecycle = new DemoLifecycle(System.out, Clock.systemUTC());
            lifecycle.sendUsage(stack.billingApiUrl(), stack.gatewayUrl(), stack.adminToken());
            if (!usage.run(stack.billingApiUrl(), stack.gatewayUrl(), stack.adminToken(), 10_000, Duration.ofMinutes(3))) {
                return false;
            }
            DemoBilling billing = new DemoBilling(System.out);
            boolean ok = billing.run(stack.billingApiUrl(), stack.adminToken(), stack.razorpayUrl(),
                    usage.organisationId(), usage.previousPeriod(), Duration.ofSeconds(60))
                    && lifecycle.run(stack.billingApiUrl(), stack.adminToken(), stack.razorpayUrl(), Duration.ofSeconds(60));
            if (ok) {
                System.out.printf("the invoice e-mail (PDF attached), as the local SMTP server received it: %s%n",
                        stack.saveEmail(billing.invoiceNumber(), Path.of(System.getProperty("java.io.tmpdir"),
                                "meterbill-demo"), Duration.ofSeconds(60)).toAbsolutePath());
            }
            return ok;
        } catch (Exception e) {
            System.out.println("DEMO FAILED: " + e.getMessage());
            return false;
        }
    }
}
