package dev.meterbill.testkit;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Starts several services one after the other and, when a later one fails to start, closes those
 * already running (newest first), so a failed set-up leaves no broker, database or port behind:
 *
 * <pre>{@code
 * try (StartupGuard guard = new StartupGuard()) {
 *     TestDatabase database = guard.add(TestDatabase.create());
 *     KafkaBroker kafka = guard.add(KafkaBroker.start());
 *     return guard.started(new Both(database, kafka));
 * }
 * }</pre>
 */
public final class StartupGuard implements AutoCloseable {

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private boolean started;

    /** Remembers {@code service} for closing should the set-up fail; returns it. */
    public <T extends AutoCloseable> T add(T service) {
        running.push(service);
        return service;
    }

    /** The set-up succeeded: nothing is closed; returns {@code result}. */
    public <T> T started(T result) {
        started = true;
        return result;
    }

    /** Unless {@link #started}, closes what was added, newest first, keeping the first failure. */
    @Override
    public void close() throws Exception {
        if (started) {
            return;
        }
        Exception failure = null;
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
