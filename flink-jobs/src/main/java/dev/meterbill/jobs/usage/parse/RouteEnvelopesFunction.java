package dev.meterbill.jobs.usage.parse;

import dev.meterbill.jobs.usage.UsageRecord;
import dev.meterbill.jobs.usage.UsageRecordSerializer;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends events with an idempotency key on to dedupe (main output), events without one past it
 * ({@link #WITHOUT_KEY}: they are never merged, so a shuffle to dedupe would be wasted), and
 * refused envelopes to {@link #DEAD_LETTERS}.
 */
public class RouteEnvelopesFunction extends ProcessFunction<ParsedEnvelope, UsageRecord> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
    public static final OutputTag<UsageRecord> WITHOUT_KEY =
            new OutputTag<>("without-idempotency-key", UsageRecordSerializer.TYPE);

    private transient Counter deadLetters;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(ParsedEnvelope envelope, Context ctx, Collector<UsageRecord> out) {
        UsageRecord event = envelope.event();
        if (event == null) {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, envelope.deadLetter());
        } else if (event.idempotencyKey() == null) {
            ctx.output(WITHOUT_KEY, event);
        } else {
            out.collect(event);
        }
    }
}
