package dev.meterbill.benchmarks.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk (a separate load-generator process) with a POST body and parses its figures. */
final class Wrk {

    /** Requests per second and latency percentiles in milliseconds. */
    record Result(double requestsPerSecond, double p50Millis, double p99Millis, long non2xx) {}

    private Wrk() {}

    static Result post(String url, String bearer, String body, int connections, int seconds, Path workDir)
            throws IOException, InterruptedException {
        Path bodyFile = Files.writeString(workDir.resolve("body-" + body.length() + ".json"), body);
        Path script = workDir.resolve("post.lua");
        Files.writeString(script, """
                local f = io.open("%s", "rb")
                wrk.body = f:read("*a")
                f:close()
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                wrk.headers["Authorization"] = "Bearer %s"
                """.formatted(bodyFile, bearer));
        Process p = new ProcessBuilder(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s",
                "--timeout", "30s", "--latency", "-s", script.toString(), url))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("wrk failed: " + out);
        }
        return new Result(number(out, "Requests/sec:\\s+([0-9.]+)"), millis(out, "50%"), millis(out, "99%"),
                (long) (out.contains("Non-2xx") ? number(out, "Non-2xx or 3xx responses:\\s+([0-9]+)") : 0));
    }

    /**
     * Runs the same load against {@code first} and {@code second} in alternating slices of at most 5 s, {@code seconds}
     * on each in all, so that the machine's drift during a run (it is shared, and moves by 2x within minutes) weighs on
     * both alike. Rates are totals over the slices, p50 the request-weighted mean of the slices' p50, p99 the highest
     * slice p99.
     */
    static Result[] alternate(String first, String second, String bearer, String body, int connections, int seconds,
                              Path workDir) throws IOException, InterruptedException {
        int slices = Math.max(1, (seconds + 4) / 5);
        int slice = Math.max(1, seconds / slices);
        Result[] sums = {new Result(0, 0, 0, 0), new Result(0, 0, 0, 0)};
        String[] urls = {first, second};
        for (int i = 0; i < slices; i++) {
            for (int k = 0; k < 2; k++) {
                Result r = post(urls[k], bearer, body, connections, slice, workDir);
                Result s = sums[k];
                sums[k] = new Result(s.requestsPerSecond() + r.requestsPerSecond() / slices,
                        s.p50Millis() + r.p50Millis() * r.requestsPerSecond(), Math.max(s.p99Millis(), r.p99Millis()),
                        s.non2xx() + r.non2xx());
            }
        }
        for (int k = 0; k < 2; k++) {
            Result s = sums[k];
            sums[k] = new Result(s.requestsPerSecond(), s.p50Millis() / (s.requestsPerSecond() * slices), s.p99Millis(),
                    s.non2xx());
        }
        return sums;
    }

    private static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("cannot read " + regex + " from wrk output:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static double millis(String out, String percentile) {
        Matcher m = Pattern.compile("\\s" + percentile + "\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no " + percentile + " latency in wrk output:\n" + out);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }
}
