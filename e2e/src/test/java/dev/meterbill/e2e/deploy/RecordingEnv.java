package dev.meterbill.e2e.deploy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** An environment that remembers which variables a configuration class looked up. */
final class RecordingEnv extends HashMap<String, String> {

    private final Set<String> read = new HashSet<>();

    RecordingEnv(Map<String, String> values) {
        super(values);
    }

    @Override
    public String get(Object key) {
        read.add((String) key);
        return super.get(key);
    }

    @Override
    public String getOrDefault(Object key, String fallback) {
        read.add((String) key);
        return super.getOrDefault(key, fallback);
    }

    /** The variables looked up so far. */
    Set<String> read() {
        return Set.copyOf(read);
    }
}
