package dev.meterbill.jobs.usage.aggregate;

import dev.meterbill.jobs.usage.StreamSerializer;
import dev.meterbill.jobs.usage.UsageAccumulator;
import dev.meterbill.jobs.usage.UsageRecordSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** A {@link PeriodUsage} between the job's tasks: one event's or several events' totals (see {@link StreamSerializer}). */
public final class PeriodUsageSerializer extends StreamSerializer<PeriodUsage> {

    private static final long serialVersionUID = 1L;

    public static final PeriodUsageSerializer INSTANCE = new PeriodUsageSerializer();
    /** The type of a stream of period usage. */
    public static final TypeInformation<PeriodUsage> TYPE = type(PeriodUsage.class, INSTANCE);

    @Override
    public void serialize(PeriodUsage u, DataOutputView out) throws IOException {
        writeString(u.projectId(), out);
        writeString(u.metricName(), out);
        writeString(u.period(), out);
        writeString(u.day(), out);
        out.writeLong(u.hour());
        if (u.event() != null) {
            out.writeByte(1);
            UsageRecordSerializer.INSTANCE.serialize(u.event(), out);
        } else {
            UsageAccumulator t = u.combined();
            out.writeByte(2);
            writeString(t.organisationId(), out);
            writeString(t.unit(), out);
            writeString(t.timezone(), out);
            writeDecimal(t.sum(), out);
            out.writeLong(t.count());
            writeDecimal(t.min(), out);
            writeDecimal(t.max(), out);
            writeDecimal(t.latest(), out);
            writeInstant(t.latestAt(), out);
            writeString(t.latestEventId(), out);
        }
    }

    @Override
    public PeriodUsage deserialize(DataInputView in) throws IOException {
        String projectId = readName(in);
        String metricName = readName(in);
        String period = readName(in);
        String day = readName(in);
        long hour = in.readLong();
        if (in.readByte() == 1) {
            return new PeriodUsage(projectId, metricName, period, day, hour, UsageRecordSerializer.INSTANCE.deserialize(in), null);
        }
        UsageAccumulator totals = new UsageAccumulator(readName(in), readName(in), readName(in), readDecimal(in),
                in.readLong(), readDecimal(in), readDecimal(in), readDecimal(in), readInstant(in), readString(in));
        return new PeriodUsage(projectId, metricName, period, day, hour, null, totals);
    }

    @Override
    public TypeSerializerSnapshot<PeriodUsage> snapshotConfiguration() {
        return new Snapshot();
    }

    /** No configuration: the snapshot restores the one instance. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<PeriodUsage> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
