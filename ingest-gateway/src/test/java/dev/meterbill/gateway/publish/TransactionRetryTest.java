package dev.meterbill.gateway.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which failed transactions a worker sends once more with a fresh producer: only those the broker
 * refused for their transaction state (seen after a broker restart), never a timeout (the commit's
 * outcome is unknown), a fencing by another instance or a refusal of the content.
 */
class TransactionRetryTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new InvalidTxnStateException("coordinator state EMPTY"), true),
                Arguments.of(new KafkaException("commit failed", new InvalidTxnStateException("wrapped")), true),
                Arguments.of(new InvalidProducerEpochException("epoch bumped"), true),
                Arguments.of(new TimeoutException("commit timed out"), false),
                Arguments.of(new ProducerFencedException("another gateway took the id"), false),
                Arguments.of(new RecordTooLargeException("too large"), false),
                Arguments.of(new IllegalStateException("not a Kafka error"), false));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void retriesOnlyTransactionsRefusedForTheirState(RuntimeException failure, boolean retried) {
        assertThat(KafkaEventPublisher.abortedByTransactionState(failure)).isEqualTo(retried);
    }
}
