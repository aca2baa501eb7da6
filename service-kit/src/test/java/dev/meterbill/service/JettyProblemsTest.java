package dev.meterbill.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Requests Jetty answers itself, before or instead of Javalin, come back as problem+json. */
class JettyProblemsTest {

    private static Javalin app;

    @BeforeAll
    static void start() {
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = 1_000;
            HttpProblems.install(cfg, ctx -> null);
            cfg.routes.post("/echo", ctx -> ctx.result(ctx.bodyAsBytes()));
        }).start(0);
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    static Stream<Arguments> requestsJettyRefuses() {
        String chunk = Integer.toHexString(5_000) + "\r\n" + "x".repeat(5_000) + "\r\n";
        return Stream.of(
                Arguments.of("NUL in the path", "GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                Arguments.of("70,000-character path", "GET /" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
                Arguments.of("100 KB header", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(100_000) + "\r\n\r\n", 431),
                Arguments.of("chunked body over the limit", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n" + chunk + "0\r\n\r\n", 413),
                Arguments.of("not HTTP at all", "HELLO\r\n\r\n", 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestsJettyRefuses")
    void answersAProblemDocument(String name, String request, int status) throws IOException {
        String response = send(request);
        assertThat(response).as(response).startsWith("HTTP/1.1 " + status);
        assertThat(response.toLowerCase()).contains("content-type: application/problem+json");
        assertThat(response).contains("\"type\":\"https://meterbill.dev/problems/").contains("\"status\":" + status);
    }

    private static String send(String request) throws IOException {
        try (Socket socket = new Socket("localhost", app.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException closedEarly) {
                // the server may answer and close before reading everything
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    response.write(buffer, 0, n);
                    if (response.toString(StandardCharsets.ISO_8859_1).contains("}")) {
                        break;
                    }
                }
            } catch (IOException timeoutOrReset) {
                // what arrived is the answer
            }
            return response.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
