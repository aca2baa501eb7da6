package dev.meterbill.billing.archive;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.meterbill.archive.format.ArchivedEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * Archived events as an export writes them, one at a time, straight into the response: NDJSON lines shaped like the
 * ingest request (so a line can be sent again) with the archive's own fields, or CSV with a header row.
 */
abstract class EventLines implements AutoCloseable {

    /** The export's formats and their media types. */
    enum Format {
        NDJSON("application/x-ndjson", "ndjson"), CSV("text/csv; charset=utf-8", "csv");

        final String contentType;
        final String extension;

        Format(String contentType, String extension) {
            this.contentType = contentType;
            this.extension = extension;
        }
    }

    static final String[] COLUMNS = {"eventId", "projectId", "metricName", "metricValue", "unit", "timestamp",
        "receivedAt", "idempotencyKey", "metadata"};

    abstract void write(ArchivedEvent event) throws IOException;

    @Override
    public abstract void close() throws IOException;

    static EventLines of(Format format, ObjectMapper json, OutputStream out) throws IOException {
        return format == Format.CSV ? new Csv(json, out) : new Ndjson(json, out);
    }

    /** Metadata in key order, so that two exports of the same events are byte for byte the same. */
    static Map<String, String> sorted(ArchivedEvent event) {
        return event.metadata == null ? Map.of() : new TreeMap<>(event.metadata);
    }

    private static final class Ndjson extends EventLines {
        private final JsonGenerator out;

        Ndjson(ObjectMapper json, OutputStream stream) throws IOException {
            out = json.getFactory().createGenerator(stream).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        }

        @Override
        void write(ArchivedEvent e) throws IOException {
            out.writeStartObject();
            out.writeStringField("eventId", e.eventId);
            out.writeStringField("projectId", e.projectId);
            out.writeStringField("metricName", e.metricName);
            out.writeFieldName("metricValue");
            out.writeNumber(e.value); // the decimal as the producer sent it, never through a double
            out.writeStringField("unit", e.unit);
            out.writeStringField("timestamp", e.timestamp);
            out.writeStringField("receivedAt", e.receivedAt);
            out.writeStringField("idempotencyKey", e.idempotencyKey);
            out.writeObjectFieldStart("metadata");
            for (Map.Entry<String, String> m : sorted(e).entrySet()) {
                out.writeStringField(m.getKey(), m.getValue());
            }
            out.writeEndObject();
            out.writeEndObject();
            out.writeRaw('\n');
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    private static final class Csv extends EventLines {
        private final ObjectMapper json;
        private final SequenceWriter out;

        Csv(ObjectMapper json, OutputStream stream) throws IOException {
            this.json = json;
            CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
            for (String column : COLUMNS) {
                schema.addColumn(column);
            }
            CsvMapper csv = new CsvMapper();
            csv.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            out = csv.writerFor(String[].class).with(schema.build()).writeValues(stream);
        }

        @Override
        void write(ArchivedEvent e) throws IOException {
            out.write(new String[] {e.eventId, e.projectId, e.metricName, e.value, e.unit, e.timestamp, e.receivedAt,
                e.idempotencyKey, json.writeValueAsString(sorted(e))});
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
