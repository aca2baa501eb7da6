package dev.meterbill.jobs.usage.dedupe;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringComparator;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * A string of the dedupe key, written in the very bytes of Flink's {@link StringSerializer} ({@link StringValue}'s
 * format: length + 1 and then each char, 7 bits per byte), but in one write per string instead of one per byte.
 *
 * <p>The heap backend writes a checkpoint through a {@code DataOutputStream}, whose {@code write(int)} is synchronized:
 * {@code StringValue} took a lock per byte of the million keys a checkpoint holds, and that was half of the
 * checkpoint thread's time (docs/benchmarks.md, ninth session). The bytes are the same, so checkpoints and savepoints
 * written by either serializer restore with the other: this one's snapshot accepts {@link StringSerializer}'s as is.
 */
public final class KeyStringSerializer extends TypeSerializerSingleton<String> {

    private static final long serialVersionUID = 1L;

    public static final KeyStringSerializer INSTANCE = new KeyStringSerializer();
    /** A String field of a key type (e.g. {@code Types.TUPLE(TYPE, TYPE)}) serialized by this serializer. */
    public static final TypeInformation<String> TYPE = new Type();

    private static final int HIGH_BIT = 0x80;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public String createInstance() {
        return "";
    }

    @Override
    public String copy(String from) {
        return from;
    }

    @Override
    public String copy(String from, String reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(String text, DataOutputView out) throws IOException {
        if (text == null) {
            out.write(0);
            return;
        }
        int length = text.length();
        // at most 5 bytes of length, at most 3 per char (16 bits in 7-bit groups)
        byte[] bytes = new byte[5 + 3 * length];
        int n = varint(length + 1, bytes, 0);
        for (int i = 0; i < length; i++) {
            n = varint(text.charAt(i), bytes, n);
        }
        out.write(bytes, 0, n);
    }

    private static int varint(int value, byte[] bytes, int at) {
        int v = value;
        int n = at;
        while (v >= HIGH_BIT) {
            bytes[n++] = (byte) (v | HIGH_BIT);
            v >>>= 7;
        }
        bytes[n++] = (byte) v;
        return n;
    }

    @Override
    public String deserialize(DataInputView in) throws IOException {
        return StringValue.readString(in);
    }

    @Override
    public String deserialize(String reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        StringValue.copyString(in, out);
    }

    @Override
    public TypeSerializerSnapshot<String> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Compatible as is with its own snapshots and with {@link StringSerializer}'s: the bytes are the same. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<String> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<String> resolveSchemaCompatibility(TypeSerializerSnapshot<String> old) {
            return old instanceof Snapshot || old instanceof StringSerializer.StringSerializerSnapshot
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }

    /** Flink's basic String type ({@code Types.STRING}), serialized by this serializer instead of StringSerializer. */
    private static final class Type extends BasicTypeInfo<String> {
        private static final long serialVersionUID = 1L;

        Type() {
            super(String.class, new Class<?>[0], INSTANCE, StringComparator.class);
        }
    }
}
