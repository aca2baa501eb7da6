package dev.meterbill.service;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Reads settings from an environment map once, failing fast with a message that names the variable.
 * Defaults serve the local stack.
 */
public final class Env {

    private final Map<String, String> env;

    public Env(Map<String, String> env) {
        this.env = env;
    }

    /** The value, or {@code fallback} when the variable is unset or blank. */
    public String text(String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    /** The value; refuses to start without it. */
    public String required(String name, String what) {
        String v = text(name, null);
        if (v == null) {
            throw new IllegalArgumentException(name + " is required (" + what + ")");
        }
        return v;
    }

    /** A decimal number, or {@code fallback} when unset. */
    public BigDecimal decimal(String name, String fallback) {
        String v = text(name, fallback);
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a decimal number, got '" + v + "'");
        }
    }

    /** An integer, or {@code fallback} when unset (for settings whose record checks its own range). */
    public int integer(String name, int fallback) {
        return integer(name, fallback, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** An integer within {@code [min, max]}, or {@code fallback} when unset. */
    public int integer(String name, int fallback, int min, int max) {
        long v = longValue(name, fallback, min, max);
        return (int) v;
    }

    /** A long within {@code [min, max]}, or {@code fallback} when unset. */
    public long longValue(String name, long fallback, long min, long max) {
        String v = text(name, null);
        if (v == null) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + parsed);
        }
        return parsed;
    }
}
