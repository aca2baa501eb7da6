package dev.meterbill.jobs.usage;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.BigDecSerializer;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * How an immutable record of the job crosses the network between its tasks: its fields in order, without the POJO
 * serializer's reflection (it rebuilds a record through its canonical constructor by reflection, which took a tenth of
 * the metering task's time). For streams only ({@link #type}); state keeps the POJO types of
 * {@code TypeInformation.of(...)}, so savepoints never depend on these formats.
 */
public abstract class StreamSerializer<T> extends TypeSerializerSingleton<T> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public T createInstance() {
        return null;
    }

    @Override
    public T copy(T from) {
        return from;
    }

    @Override
    public T copy(T from, T reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    /**
     * A string as its UTF-8 bytes, in one copy (ids, names and zones are ASCII, which the JDK encodes and decodes as an
     * array copy; Flink's StringValue writes them a character at a time, which took a third of the dedupe task).
     */
    protected static void writeString(String text, DataOutputView out) throws IOException {
        if (text == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    protected static String readString(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * A string written by {@link #writeString} that the reading thread sees again and again (project and organisation
     * ids, metric names, units, zones, periods, label keys and values): it comes back as the String this thread read
     * for the same bytes before, when that is still in its table. Downstream, the combiner and the totals look these
     * up in hash maps per event; one instance per name hashes once and compares by reference (fresh copies made
     * String.equals and HashMap.getNode a fifth of the metering task). Never for ids unique per event.
     */
    protected static String readName(DataInputView in) throws IOException {
        int length = in.readInt();
        return length < 0 ? null : NAMES.get().read(in, length);
    }

    private static final ThreadLocal<Names> NAMES = ThreadLocal.withInitial(Names::new);

    /** Per thread, a direct-mapped table of strings by their UTF-8 bytes; a newer name takes the slot of an older one. */
    static final class Names {
        private static final int SLOTS = 16_384;
        private static final int LONGEST = 256;
        private final byte[][] keys = new byte[SLOTS][];
        private final String[] values = new String[SLOTS];
        private final byte[] buffer = new byte[LONGEST];

        String read(DataInputView in, int length) throws IOException {
            if (length > LONGEST) {
                byte[] bytes = new byte[length];
                in.readFully(bytes);
                return new String(bytes, StandardCharsets.UTF_8);
            }
            in.readFully(buffer, 0, length);
            int hash = length;
            for (int i = 0; i < length; i++) {
                hash = 31 * hash + buffer[i];
            }
            int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
            byte[] key = keys[slot];
            if (key != null && Arrays.equals(key, 0, key.length, buffer, 0, length)) {
                return values[slot];
            }
            byte[] copy = Arrays.copyOf(buffer, length);
            String name = new String(copy, StandardCharsets.UTF_8);
            keys[slot] = copy;
            values[slot] = name;
            return name;
        }
    }

    protected static void writeDecimal(BigDecimal decimal, DataOutputView out) throws IOException {
        BigDecSerializer.INSTANCE.serialize(decimal, out);
    }

    protected static BigDecimal readDecimal(DataInputView in) throws IOException {
        return BigDecSerializer.INSTANCE.deserialize(in);
    }

    protected static void writeInstant(Instant instant, DataOutputView out) throws IOException {
        out.writeBoolean(instant != null);
        if (instant != null) {
            out.writeLong(instant.getEpochSecond());
            out.writeInt(instant.getNano());
        }
    }

    protected static Instant readInstant(DataInputView in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }

    /** The type of a stream of {@code typeClass} serialized by {@code serializer}. */
    protected static <T> TypeInformation<T> type(Class<T> typeClass, StreamSerializer<T> serializer) {
        return new Type<>(typeClass, serializer);
    }

    private static final class Type<T> extends TypeInformation<T> {
        private static final long serialVersionUID = 1L;

        private final Class<T> typeClass;
        private final StreamSerializer<T> serializer;

        Type(Class<T> typeClass, StreamSerializer<T> serializer) {
            this.typeClass = typeClass;
            this.serializer = serializer;
        }

        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<T> getTypeClass() {
            return typeClass;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<T> createSerializer(SerializerConfig config) {
            return serializer;
        }

        @Override
        public String toString() {
            return typeClass.getSimpleName() + " (" + serializer.getClass().getSimpleName() + ")";
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Type<?> t && t.typeClass == typeClass;
        }

        @Override
        public int hashCode() {
            return typeClass.hashCode();
        }

        @Override
        public boolean canEqual(Object other) {
            return other instanceof Type;
        }
    }
}
