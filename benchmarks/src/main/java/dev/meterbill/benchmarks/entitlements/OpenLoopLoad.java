package dev.meterbill.benchmarks.entitlements;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop HTTP/1.1 load generator, run as a process of its own by {@link EntitlementBenchmark}: requests are
 * due at a fixed rate whatever the answers do (as wrk2 schedules them), each is sent on an idle keep-alive
 * connection of a fixed pool, and its latency counts from the moment it was due, so a stalled server is charged for
 * the requests that queued behind the stall (no coordinated omission). One thread polls its selector and sleeps 50
 * microseconds between polls: it never sleeps longer, because on this machine's virtual CPUs a thread that sleeps
 * until the next event is woken late (halt polling is off), and a generator built that way (a sender asleep until
 * each request is due, a receiver asleep in select) measured p99 3.0 to 3.8 ms against nginx where this one measures
 * 1.2 to 1.9 ms. Requests are encoded once and answers read where they land, so nothing is allocated per request
 * and the generator never collects; it costs about a quarter of a core at 2,000 requests a second.
 *
 * <p>Arguments: {@code host port path rate warm-up-seconds seconds connections bearer...}; connection i sends the
 * bearer token {@code i % tokens}. The first warm-up-seconds run at the same rate and are not measured (they warm
 * the server and this generator's own compiled code). Prints one line:
 * {@code requests= errors= rate= p50= p90= p99= p999= max=} (milliseconds).
 */
public final class OpenLoopLoad {

    private OpenLoopLoad() {}

    /** One keep-alive connection with at most one request in flight. */
    private static final class Connection {
        final SocketChannel channel;
        final ByteBuffer request;
        final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        long due;
        boolean busy;

        Connection(SocketChannel channel, byte[] request) {
            this.channel = channel;
            this.request = ByteBuffer.wrap(request);
        }
    }

    public static void main(String[] args) throws IOException {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String path = args[2];
        int rate = Integer.parseInt(args[3]);
        int warmUp = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        int connections = Integer.parseInt(args[6]);
        List<String> tokens = Arrays.asList(args).subList(7, args.length);
        Selector selector = Selector.open();
        List<Connection> pool = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            String auth = tokens.isEmpty() ? "" : "Authorization: Bearer " + tokens.get(i % tokens.size()) + "\r\n";
            Connection c = new Connection(channel, ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
                    + auth + "Accept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            channel.register(selector, SelectionKey.OP_READ, c);
            pool.add(c);
        }
        int unmeasured = rate * warmUp;
        int total = unmeasured + rate * seconds;
        long[] latencies = new long[total];
        long[] backlog = new long[total];
        int queued = 0;
        int sendIndex = 0;
        int cursor = 0;
        int scheduled = 0;
        int completed = 0;
        int errors = 0;
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 10_000_000L;
        long deadline = start + (warmUp + seconds) * 1_000_000_000L + 30_000_000_000L;
        long measuredFrom = start + unmeasured * interval;
        while (completed < total) {
            long now = System.nanoTime();
            if (now > deadline) {
                errors += total - completed;
                break;
            }
            while (scheduled < total && start + scheduled * interval <= now) {
                backlog[queued++] = start + scheduled * interval;
                scheduled++;
            }
            // round robin from where the last request went, so that every connection stays in use (an idle one
            // would be closed by the server's idle timeout)
            for (int tried = 0; tried < pool.size() && sendIndex < queued; tried++) {
                Connection c = pool.get(cursor);
                cursor = (cursor + 1) % pool.size();
                if (!c.busy) {
                    c.busy = true;
                    c.due = backlog[sendIndex++];
                    c.request.rewind();
                    while (c.request.hasRemaining()) {
                        c.channel.write(c.request);
                    }
                }
            }
            if (selector.selectNow() == 0) {
                long next = scheduled < total ? start + scheduled * interval - System.nanoTime() : 50_000;
                if (next > 0) {
                    LockSupport.parkNanos(Math.min(next, 50_000));
                }
                continue;
            }
            for (SelectionKey key : selector.selectedKeys()) {
                Connection c = (Connection) key.attachment();
                if (c.channel.read(c.in) < 0) {
                    throw new IOException("the server closed a keep-alive connection");
                }
                int status = complete(c.in);
                if (status > 0) {
                    latencies[completed++] = System.nanoTime() - c.due;
                    if (status != 200 && c.due >= measuredFrom) {
                        errors++;
                    }
                    c.in.clear();
                    c.busy = false;
                }
            }
            selector.selectedKeys().clear();
        }
        long[] done = Arrays.copyOfRange(latencies, Math.min(unmeasured, completed), completed);
        Arrays.sort(done);
        double elapsed = (System.nanoTime() - measuredFrom) / 1e9;
        System.out.printf(Locale.ROOT, "requests=%d errors=%d rate=%.1f p50=%.3f p90=%.3f p99=%.3f p999=%.3f max=%.3f%n",
                done.length, errors, done.length / elapsed, ms(done, 0.50), ms(done, 0.90), ms(done, 0.99), ms(done, 0.999),
                done.length == 0 ? Double.NaN : done[done.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    /**
     * The status of the answer in {@code in} once it is complete (by Content-Length, or the last chunk of a chunked
     * body), else 0. Reads the bytes where they are: nothing is allocated per answer, so the generator never collects.
     */
    static int complete(ByteBuffer in) {
        byte[] b = in.array();
        int length = in.position();
        int headersEnd = indexOf(b, length, "\r\n\r\n", 0);
        if (headersEnd < 0) {
            return 0;
        }
        int status = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
        int bodyStart = headersEnd + 4;
        int cl = indexOf(b, headersEnd, "\r\ncontent-length:", 0);
        if (cl >= 0) {
            int contentLength = 0;
            for (int i = cl + 17; i < headersEnd && b[i] != '\r'; i++) {
                if (b[i] >= '0' && b[i] <= '9') {
                    contentLength = contentLength * 10 + (b[i] - '0');
                }
            }
            return length - bodyStart >= contentLength ? status : 0;
        }
        if (indexOf(b, headersEnd, "\r\ntransfer-encoding: chunked", 0) >= 0) {
            return length - bodyStart >= 5 && indexOf(b, length, "0\r\n\r\n", length - 5) == length - 5
                    && (length - bodyStart == 5 || b[length - 6] == '\n') ? status : 0;
        }
        return status;
    }

    /** Where {@code needle} (lower case, ASCII) starts in {@code b}, ignoring the case of letters, or -1. */
    private static int indexOf(byte[] b, int length, String needle, int from) {
        outer:
        for (int i = Math.max(0, from); i + needle.length() <= length; i++) {
            for (int j = 0; j < needle.length(); j++) {
                int c = b[i + j];
                if (c >= 'A' && c <= 'Z') {
                    c += 'a' - 'A';
                }
                if (c != needle.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
