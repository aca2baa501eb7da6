package dev.meterbill.jobs.testutils;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Wraps a stateless (at-least-once) sink; once {@link #arm()}ed, the next write fails the task,
 * as a crashed TaskManager would, so the job restarts from its last checkpoint.
 */
public final class FailOnceSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;
    private static final Map<String, AtomicBoolean> ARMED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> FIRED = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final Sink<T> delegate;

    public FailOnceSink(Sink<T> delegate) {
        this.delegate = delegate;
        ARMED.put(id, new AtomicBoolean());
        FIRED.put(id, new AtomicInteger());
    }

    public void arm() {
        ARMED.get(id).set(true);
    }

    public int failures() {
        return FIRED.get(id).get();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        SinkWriter<T> writer = delegate.createWriter(context);
        AtomicBoolean armed = ARMED.get(id);
        AtomicInteger fired = FIRED.get(id);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) throws IOException, InterruptedException {
                if (armed.compareAndSet(true, false)) {
                    fired.incrementAndGet();
                    throw new IOException("injected failure");
                }
                writer.write(element, ctx);
            }

            @Override
            public void flush(boolean endOfInput) throws IOException, InterruptedException {
                writer.flush(endOfInput);
            }

            @Override
            public void close() throws Exception {
                writer.close();
            }
        };
    }
}
