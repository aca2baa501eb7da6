package dev.meterbill.jobs.testutils;

import dev.meterbill.events.UsageTopics;
import dev.meterbill.testkit.KafkaBroker;
import dev.meterbill.testkit.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Program arguments of a usage job that reads a test topic and writes into a test database. */
public final class KafkaJobArgs {

    private KafkaJobArgs() {}

    /**
     * Reads {@code topic} (DLQ {@code topic-dlq}) of {@code kafka} in a fresh consumer group, into
     * {@code db}; a mutable list, so that a test can append its own arguments.
     */
    public static List<String> of(KafkaBroker kafka, String topic, TestDatabase db) {
        return new ArrayList<>(List.of("--kafka.bootstrap", kafka.bootstrapServers(), "--topic", topic,
                "--dlq.topic", UsageTopics.deadLettersOf(topic), "--group.id", "it-" + UUID.randomUUID(),
                "--jdbc.url", db.url(), "--jdbc.user", db.user(), "--jdbc.password", db.password()));
    }
}
