package dev.meterbill.archive.format;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.reflect.ReflectData;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;

/**
 * The raw-event archive as its readers see it: a directory holding {@code organisation=<id>/date=<yyyy-MM-dd>/} with
 * the Parquet files the archive job committed ({@code events-<uuid>-<n>.parquet}). Files whose name starts with a dot
 * are the job's in-progress files; they are never read and never deleted here (the job still writes them, and deleting
 * one would fail its next commit).
 *
 * <p>Reading streams one row at a time, so a month of events never sits in memory. The directory is local or mounted
 * (an object store's bucket through a mount in production, docs/operations.md).
 */
public final class EventArchive {

    public static final String FILE_PREFIX = "events";
    public static final String FILE_SUFFIX = ".parquet";
    /** Row groups of at most 16 MiB: a reader streams a file one row group at a time. */
    public static final long ROW_GROUP_BYTES = 16L * 1024 * 1024;

    private static final String ORGANISATION = "organisation=";
    private static final String DATE = "date=";

    private final Path root;

    public EventArchive(Path root) {
        this.root = root;
    }

    /** An archive at a {@code file:} URI or a plain path; other schemes cannot be read by this process. */
    public static EventArchive at(String location) {
        if (location.startsWith("file:")) {
            return new EventArchive(Path.of(URI.create(location)));
        }
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new IllegalArgumentException("the archive at " + location + " is not a local or mounted directory; mount it and "
                    + "give its path (docs/operations.md, \"The raw-event archive\")");
        }
        return new EventArchive(Path.of(location));
    }

    public Path root() {
        return root;
    }

    /** The directory of one organisation's day, relative to the archive: the archive job's bucket id. */
    public static String bucket(String organisationId, String day) {
        return ORGANISATION + organisationId + "/" + DATE + day;
    }

    /** Consumes archived events; may write them out, hence the IOException. */
    @FunctionalInterface
    public interface EventSink {
        void accept(ArchivedEvent event) throws IOException;
    }

    /** The organisations that have a directory in the archive, in id order. */
    public List<String> organisations() throws IOException {
        List<String> ids = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, ORGANISATION + "*")) {
                dirs.forEach(d -> ids.add(d.getFileName().toString().substring(ORGANISATION.length())));
            }
        }
        ids.sort(null);
        return ids;
    }

    /** The organisation's days in the archive, oldest first, with their committed files in name order. */
    public Map<LocalDate, List<Path>> days(String organisationId) throws IOException {
        Map<LocalDate, List<Path>> days = new TreeMap<>();
        Path organisation = root.resolve(ORGANISATION + checked(organisationId));
        if (!Files.isDirectory(organisation)) {
            return days;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(organisation, DATE + "*")) {
            for (Path dir : dirs) {
                LocalDate day = parseDay(dir.getFileName().toString().substring(DATE.length()));
                if (day != null && Files.isDirectory(dir)) {
                    days.put(day, committedFiles(dir));
                }
            }
        }
        return days;
    }

    /**
     * Passes {@code sink} every event of the organisation's days {@code firstDay..lastDay} (inclusive) that belongs to
     * {@code projectId} (any project when null) and satisfies {@code filter}, day by day, each day's files in name
     * order, each file in the order it was written. Returns how many events reached the sink.
     */
    public long read(String organisationId, LocalDate firstDay, LocalDate lastDay, String projectId,
                     Predicate<ArchivedEvent> filter, EventSink sink) throws IOException {
        FilterCompat.Filter rows = projectId == null ? FilterCompat.NOOP
                : FilterCompat.get(FilterApi.eq(FilterApi.binaryColumn("projectId"), Binary.fromString(projectId)));
        long passed = 0;
        for (Map.Entry<LocalDate, List<Path>> day : days(organisationId).entrySet()) {
            if (day.getKey().isBefore(firstDay) || day.getKey().isAfter(lastDay)) {
                continue;
            }
            for (Path file : day.getValue()) {
                try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file),
                        new PlainParquetConfiguration()).withDataModel(GenericData.get()).withFilter(rows).build()) {
                    for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                        ArchivedEvent event = of(record);
                        if (filter.test(event)) {
                            sink.accept(event);
                            passed++;
                        }
                    }
                }
            }
        }
        return passed;
    }

    /** What a deletion removed. */
    public record Deletion(int days, int files, long bytes) {}

    /**
     * Deletes the organisation's committed files of the days before {@code before} (every day when null), and the
     * directories left empty. Other organisations' files are never opened: each organisation has its own directories.
     */
    public Deletion delete(String organisationId, LocalDate before) throws IOException {
        int days = 0;
        int files = 0;
        long bytes = 0;
        for (Map.Entry<LocalDate, List<Path>> day : days(organisationId).entrySet()) {
            if (before != null && !day.getKey().isBefore(before)) {
                continue;
            }
            for (Path file : day.getValue()) {
                bytes += Files.size(file);
                Files.delete(file);
                files++;
            }
            days++;
            Path dir = root.resolve(bucket(organisationId, day.getKey().toString()));
            deleteIfEmpty(dir);
        }
        deleteIfEmpty(root.resolve(ORGANISATION + organisationId));
        return new Deletion(days, files, bytes);
    }

    /**
     * A writer of the archive's files, the job's and everyone's: Snappy-compressed columns, row groups of at most
     * {@link #ROW_GROUP_BYTES}, which is also about the most a reader holds in memory for one file.
     */
    public static ParquetWriter<ArchivedEvent> writer(OutputFile out) throws IOException {
        return AvroParquetWriter.<ArchivedEvent>builder(out).withSchema(ReflectData.get().getSchema(ArchivedEvent.class))
                .withDataModel(ReflectData.get()).withConf(new PlainParquetConfiguration())
                .withCompressionCodec(CompressionCodecName.SNAPPY).withRowGroupSize(ROW_GROUP_BYTES).build();
    }

    /** Writes {@code events} to one Parquet file as the archive job does (tests and tools that seed an archive). */
    public static void write(Path file, Iterable<ArchivedEvent> events) throws IOException {
        Files.createDirectories(file.getParent());
        try (ParquetWriter<ArchivedEvent> writer = writer(new LocalOutputFile(file))) {
            for (ArchivedEvent event : events) {
                writer.write(event);
            }
        }
    }

    /** A row as the archive job wrote it (strings come back as Avro's Utf8). */
    static ArchivedEvent of(GenericRecord r) {
        ArchivedEvent e = new ArchivedEvent();
        e.eventId = text(r.get("eventId"));
        e.organisationId = text(r.get("organisationId"));
        e.projectId = text(r.get("projectId"));
        e.metricName = text(r.get("metricName"));
        e.value = text(r.get("value"));
        e.unit = text(r.get("unit"));
        e.timestamp = text(r.get("timestamp"));
        e.receivedAt = text(r.get("receivedAt"));
        e.billingTimezone = text(r.get("billingTimezone"));
        e.day = text(r.get("day"));
        e.idempotencyKey = text(r.get("idempotencyKey"));
        Object metadata = r.get("metadata");
        if (metadata instanceof Map<?, ?> m) {
            m.forEach((k, v) -> e.metadata.put(text(k), text(v)));
        }
        return e;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** An organisation id names a directory: nothing that could leave the archive's root. */
    private static String checked(String organisationId) {
        if (!organisationId.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("not an organisation id: " + organisationId);
        }
        return organisationId;
    }

    private static List<Path> committedFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, FILE_PREFIX + "*" + FILE_SUFFIX)) {
            all.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    private static LocalDate parseDay(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return null; // not the job's directory
        }
    }

    private static void deleteIfEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> left = Files.newDirectoryStream(dir)) {
            if (left.iterator().hasNext()) {
                return;
            }
        }
        Files.deleteIfExists(dir);
    }
}
