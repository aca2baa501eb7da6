package dev.meterbill.archive;

import dev.meterbill.archive.format.ArchivedEvent;
import dev.meterbill.archive.format.EventArchive;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/**
 * {@code organisation=<id>/date=<yyyy-MM-dd>}, the day in the organisation's billing timezone: one organisation's
 * events never share a file with another's, so deleting them (on request, or past their retention) removes whole
 * directories and rewrites no other tenant's files; a period's re-rating reads only its days.
 */
public final class OrganisationDayBuckets implements BucketAssigner<ArchivedEvent, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getBucketId(ArchivedEvent event, Context context) {
        return EventArchive.bucket(event.organisationId, event.day);
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }
}
