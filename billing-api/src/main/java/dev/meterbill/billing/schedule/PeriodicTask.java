package dev.meterbill.billing.schedule;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A task run at a fixed delay on its own daemon thread; a failing run is logged and the next one still happens. */
public final class PeriodicTask implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final Runnable task;
    private ScheduledExecutorService executor;

    public PeriodicTask(String name, Runnable task) {
        this.name = name;
        this.task = task;
    }

    /** Starts the runs unless {@code interval} is zero or they already run. */
    public synchronized void start(Duration firstDelay, Duration interval) {
        if (interval.isZero() || executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::runSafely, firstDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runSafely() {
        // An exception escaping a scheduled task would cancel every later run.
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("{} failed; retrying at the next interval", name, e);
        }
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }
}
