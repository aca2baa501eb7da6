package dev.meterbill.jobs.usage.dedupe;

import static dev.meterbill.jobs.testutils.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.jobs.testutils.TestEvents;
import dev.meterbill.jobs.usage.JobConfig;
import dev.meterbill.jobs.usage.UsageRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.runtime.TupleSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The dedupe key's strings: Flink's StringSerializer bytes, so state written by either restores with the other. */
class KeyStringSerializerTest {

    private static final Duration TTL = Duration.ofDays(JobConfig.MIN_DEDUPE_TTL_DAYS);
    private static final TypeInformation<Tuple2<String, String>> FLINK_KEY_TYPE = Types.TUPLE(Types.STRING, Types.STRING);

    private static byte[] bytes(TypeSerializer<String> serializer, String text) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        serializer.serialize(text, out);
        return out.getCopyOfBuffer();
    }

    /** ASCII ids, the empty string, lengths around the 7-bit steps of the length, chars of one, two and three bytes. */
    private static List<String> strings() {
        List<String> strings = new ArrayList<>(List.of("", "a", "order-1", "0b8f4c2e-6d1a-4f3b-9a7e-2c5d8e1f0a3b",
                "é", "ß-€", "日本語", "\uD83D\uDE00", "\u007F\u0080\u3FFF\u4000\uFFFF", "x".repeat(126), "y".repeat(127),
                "z".repeat(128), "w".repeat(16_383), "v".repeat(16_384)));
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 2_000; i++) {
            char[] chars = new char[random.nextInt(0, 300)];
            for (int c = 0; c < chars.length; c++) {
                chars[c] = (char) (i % 2 == 0 ? random.nextInt(0x20, 0x7F) : random.nextInt(0, 0x10000));
            }
            strings.add(new String(chars));
        }
        return strings;
    }

    @Test
    void writesTheBytesOfFlinksStringSerializerAndReadsThemBack() throws IOException {
        for (String text : strings()) {
            byte[] ours = bytes(KeyStringSerializer.INSTANCE, text);
            assertThat(ours).as("length %d", text.length()).isEqualTo(bytes(StringSerializer.INSTANCE, text));
            assertThat(KeyStringSerializer.INSTANCE.deserialize(new DataInputDeserializer(ours))).isEqualTo(text);
        }
        assertThat(bytes(KeyStringSerializer.INSTANCE, null)).isEqualTo(bytes(StringSerializer.INSTANCE, null));
    }

    @Test
    void theDedupeKeyTypeSerializesItsStringsWithIt() {
        var serializer = (TupleSerializer<Tuple2<String, String>>) DedupeFunction.KEY_TYPE.createSerializer(new SerializerConfigImpl());
        assertThat(List.<Object>of(serializer.getFieldSerializers())).containsExactly(KeyStringSerializer.INSTANCE,
                KeyStringSerializer.INSTANCE);
    }

    static Stream<Arguments> backendsAndDirections() {
        return Stream.of(
                Arguments.of("hashmap", FLINK_KEY_TYPE, DedupeFunction.KEY_TYPE),
                Arguments.of("hashmap", DedupeFunction.KEY_TYPE, DedupeFunction.KEY_TYPE),
                Arguments.of("rocksdb", FLINK_KEY_TYPE, DedupeFunction.KEY_TYPE),
                Arguments.of("rocksdb", DedupeFunction.KEY_TYPE, DedupeFunction.KEY_TYPE));
    }

    /** Dedupe state checkpointed with Flink's own tuple-of-strings key type (every release before) restores into this one. */
    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @MethodSource("backendsAndDirections")
    void keysCheckpointedWithEitherKeyTypeAreSeenAfterARestore(String backend, TypeInformation<Tuple2<String, String>> before,
            TypeInformation<Tuple2<String, String>> after) throws Exception {
        List<TestEvents> events = new ArrayList<>();
        for (String key : List.of("order-1", "ключ-2", "x".repeat(200))) {
            events.add(event().key(key));
        }
        OperatorSubtaskState snapshot;
        try (var harness = harness(backend, before, null)) {
            for (TestEvents e : events) {
                harness.processElement(e.record(), 0);
            }
            snapshot = harness.snapshot(1, 1);
        }
        try (var harness = harness(backend, after, snapshot)) {
            for (TestEvents e : events) {
                harness.processElement(e.retry().record(), 0);
            }
            TestEvents fresh = event().key("order-4");
            harness.processElement(fresh.record(), 0);

            assertThat(harness.extractOutputValues()).extracting(UsageRecord::eventId).containsExactly(fresh.record().eventId());
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, UsageRecord, UsageRecord> harness(
            String backend, TypeInformation<Tuple2<String, String>> keyType, OperatorSubtaskState restore) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DedupeFunction(TTL)), new DedupeFunction.Key(), keyType);
        StateBackend state = "rocksdb".equals(backend) ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
        harness.setStateBackend(state);
        harness.setup();
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
        return harness;
    }
}
