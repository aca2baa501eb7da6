package dev.meterbill.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A service started before the tests that use it and closed after them. On a static
 * {@code @RegisterExtension} field it runs once for all tests of the class ({@link #perClass}) or
 * once for each test ({@link #perTest}); {@link #start()} and {@link #close()} also drive it by hand.
 * Fixtures that tests talk to extend it and reach the running service through {@link #get()}.
 *
 * @param <S> what runs; closing it stops it
 */
public class ServiceExtension<S extends AutoCloseable>
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, AutoCloseable {

    /** Starts the service. */
    @FunctionalInterface
    public interface Starter<S> {
        S start() throws Exception;
    }

    /** How long one service lives. */
    public enum Scope {
        /** From before the class's first test to after its last. */
        CLASS,
        /** From before each test to after it: for tests that break what they run against. */
        TEST
    }

    private final Scope scope;
    private final Starter<? extends S> starter;
    private S service;

    protected ServiceExtension(Scope scope, Starter<? extends S> starter) {
        this.scope = scope;
        this.starter = starter;
    }

    /** One service for all tests of the class. */
    public static <S extends AutoCloseable> ServiceExtension<S> perClass(Starter<? extends S> starter) {
        return new ServiceExtension<>(Scope.CLASS, starter);
    }

    /** A fresh service for every test. */
    public static <S extends AutoCloseable> ServiceExtension<S> perTest(Starter<? extends S> starter) {
        return new ServiceExtension<>(Scope.TEST, starter);
    }

    /** The running service. */
    public final S get() {
        if (service == null) {
            throw new IllegalStateException("not running: register the extension on a static @RegisterExtension field,"
                    + " or call start()");
        }
        return service;
    }

    /** Starts the service now; what the starter throws is rethrown unchecked. */
    public void start() {
        if (service != null) {
            throw new IllegalStateException("already running");
        }
        service = unchecked("start", starter::start);
    }

    /** Stops the service if it runs. */
    @Override
    public void close() {
        S running = service;
        service = null;
        if (running != null) {
            unchecked("stop", () -> {
                running.close();
                return null;
            });
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startFor(Scope.CLASS);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeFor(Scope.CLASS);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        startFor(Scope.TEST);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeFor(Scope.TEST);
    }

    private void startFor(Scope callback) {
        if (scope == callback) {
            start();
        }
    }

    private void closeFor(Scope callback) {
        if (scope == callback) {
            close();
        }
    }

    private static <T> T unchecked(String what, Starter<T> step) {
        try {
            return step.start();
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
