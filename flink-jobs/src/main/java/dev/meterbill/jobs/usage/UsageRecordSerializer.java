package dev.meterbill.jobs.usage;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** A {@link UsageRecord} between the job's tasks (see {@link StreamSerializer}). */
public final class UsageRecordSerializer extends StreamSerializer<UsageRecord> {

    private static final long serialVersionUID = 1L;

    public static final UsageRecordSerializer INSTANCE = new UsageRecordSerializer();
    /** The type of a stream of usage records. */
    public static final TypeInformation<UsageRecord> TYPE = type(UsageRecord.class, INSTANCE);

    @Override
    public void serialize(UsageRecord r, DataOutputView out) throws IOException {
        writeString(r.eventId(), out);
        writeString(r.projectId(), out);
        writeString(r.organisationId(), out);
        writeString(r.metricName(), out);
        writeDecimal(r.value(), out);
        writeString(r.unit(), out);
        writeInstant(r.timestamp(), out);
        writeInstant(r.receivedAt(), out);
        writeString(r.billingTimezone(), out);
        writeString(r.idempotencyKey(), out);
        Map<String, String> labels = r.labels();
        out.writeInt(labels == null ? -1 : labels.size());
        if (labels != null) {
            for (Map.Entry<String, String> label : labels.entrySet()) {
                writeString(label.getKey(), out);
                writeString(label.getValue(), out);
            }
        }
    }

    @Override
    public UsageRecord deserialize(DataInputView in) throws IOException {
        String eventId = readString(in);
        String projectId = readName(in);
        String organisationId = readName(in);
        String metricName = readName(in);
        var value = readDecimal(in);
        String unit = readName(in);
        var timestamp = readInstant(in);
        var receivedAt = readInstant(in);
        String billingTimezone = readName(in);
        String idempotencyKey = readString(in);
        int size = in.readInt();
        Map<String, String> labels = null;
        if (size == 0) {
            labels = Map.of();
        } else if (size > 0) {
            labels = new HashMap<>(size * 2);
            for (int i = 0; i < size; i++) {
                labels.put(readName(in), readName(in));
            }
        }
        return new UsageRecord(eventId, projectId, organisationId, metricName, value, unit, timestamp, receivedAt,
                billingTimezone, idempotencyKey, labels);
    }

    @Override
    public TypeSerializerSnapshot<UsageRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** No configuration: the snapshot restores the one instance. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<UsageRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
