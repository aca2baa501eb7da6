package dev.meterbill.testkit;

/** A {@link KafkaBroker} for all tests of a class (a static {@code @RegisterExtension} field), removed after them. */
public final class KafkaExtension extends ServiceExtension<KafkaBroker> {

    public KafkaExtension() {
        super(Scope.CLASS, KafkaBroker::start);
    }
}
