package dev.meterbill.events;

import java.util.Map;

/**
 * The Kafka topics of the event contract and the configuration they are created with. Every
 * module that names or creates a usage topic takes it from here.
 */
public final class UsageTopics {

    /** Accepted usage envelopes, keyed by project id. */
    public static final String USAGE = "usage-events";

    /** Records the job refused, with the reason. */
    public static final String DEAD_LETTERS = USAGE + "-dlq";

    /**
     * Record timestamps from the broker's clock ({@code LogAppendTime}): the job refuses an envelope
     * whose receivedAt is far ahead of its record's timestamp, and only a broker-assigned timestamp
     * cannot be forged by a writer that bypasses the gateway. Whoever creates a usage topic applies it.
     */
    public static final Map<String, String> CONFIG = Map.of("message.timestamp.type", "LogAppendTime");

    /**
     * Metric definitions as billing-api publishes them: keyed by the definition's key, the value every version of it
     * (JSON), compacted so that a job starting from the beginning reads the latest state of each definition.
     */
    public static final String METRIC_DEFINITIONS = "metric-definitions";

    /** How {@link #METRIC_DEFINITIONS} is created: compacted, never deleted by age. */
    public static final Map<String, String> METRIC_DEFINITIONS_CONFIG = Map.of("cleanup.policy", "compact");

    private UsageTopics() {}

    /** The dead-letter topic that belongs to a usage topic: {@code <topic>-dlq}. */
    public static String deadLettersOf(String usageTopic) {
        return usageTopic + "-dlq";
    }
}
