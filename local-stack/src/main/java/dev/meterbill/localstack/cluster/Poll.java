package dev.meterbill.localstack.cluster;

import java.io.IOException;
import java.time.Duration;

/** Polls a condition until it holds: processes on a busy machine reach their states when they do. */
public final class Poll {

    /** A condition that may fail with an I/O error (which counts as "not yet" unless it is fatal). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws IOException, InterruptedException;
    }

    /** A failure that waiting longer cannot cure (a process died, an operation failed): ends the wait at once. */
    public static final class Fatal extends IOException {
        public Fatal(String message) {
            super(message);
        }
    }

    private Poll() {}

    /**
     * Waits until {@code condition} holds, checking every 250 ms. An {@link IOException} thrown by
     * the condition counts as "not yet" (and is the cause if the deadline passes), except {@link Fatal}.
     */
    public static void until(String what, Duration timeout, Condition condition) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
                last = null;
            } catch (Fatal e) {
                throw e;
            } catch (IOException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("timed out after " + timeout.toSeconds() + " s waiting for " + what, last);
            }
            Thread.sleep(250);
        }
    }
}
