package dev.meterbill.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Requests no HTTP client library would send (a NUL in the path, a 70,000-character URI, a 100 KB
 * header, a chunked body over the limit), written to a socket as they are: what Jetty answers on its
 * own, before or instead of the application.
 */
public final class RawHttp {

    private RawHttp() {}

    /** A request the server must refuse, with the status it must refuse it with. */
    public record Refusal(String name, String request, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * The requests every service must answer with a problem document, whatever its routes;
     * {@code postPath} is a route that reads a JSON body when called with {@code token}.
     */
    public static List<Refusal> refusals(String postPath, String token) {
        String chunk = Integer.toHexString(64 * 1024) + "\r\n" + "x".repeat(64 * 1024) + "\r\n";
        String chunked = chunk.repeat(20); // 1.25 MiB: over every body limit of both services
        return List.of(
                new Refusal("NUL in the path", "GET /api/v1/a%00b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                new Refusal("70,000-character path", "GET /" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
                new Refusal("100 KB header", "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(100_000)
                        + "\r\n\r\n", 431),
                new Refusal("chunked body over the limit", "POST " + postPath + " HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/json\r\nAuthorization: Bearer " + token + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + chunked + "0\r\n\r\n", 413),
                new Refusal("not HTTP", "HELLO\r\n\r\n", 400));
    }

    /** Writes {@code request} as ISO-8859-1 bytes and returns what came back (status line, headers, body). */
    public static String send(int port, String request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException closedEarly) {
                // a server may answer and close before it read everything
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    response.write(buffer, 0, n);
                    if (complete(response.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (IOException resetOrTimeout) {
                // what arrived is the answer
            }
            return response.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The status code of a raw response, or -1 when none arrived. */
    public static int status(String response) {
        return response.startsWith("HTTP/1.1 ") && response.length() >= 12
                ? Integer.parseInt(response.substring(9, 12)) : -1;
    }

    private static boolean complete(String response) {
        int headersEnd = response.indexOf("\r\n\r\n");
        if (headersEnd < 0) {
            return false;
        }
        String headers = response.substring(0, headersEnd).toLowerCase();
        int at = headers.indexOf("content-length:");
        if (at < 0) {
            return response.endsWith("}");
        }
        int end = headers.indexOf("\r\n", at);
        int length = Integer.parseInt(headers.substring(at + 15, end < 0 ? headers.length() : end).trim());
        return response.length() - headersEnd - 4 >= length;
    }
}
