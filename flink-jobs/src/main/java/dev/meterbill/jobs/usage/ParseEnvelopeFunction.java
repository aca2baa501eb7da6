package dev.meterbill.jobs.usage;

import dev.meterbill.events.EventValidator;
import dev.meterbill.events.UsageEvent;
import dev.meterbill.events.UsageEventCodec;
import dev.meterbill.events.UsageEventCodec.MalformedEventException;
import java.math.BigDecimal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes Kafka envelopes; anything that is not a meterable event goes to {@link #DEAD_LETTERS}
 * with a reason. Bad data never fails the job: a poison record would otherwise stop metering for
 * every tenant behind it.
 */
public class ParseEnvelopeFunction extends ProcessFunction<RawEnvelope, UsageRecord> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private transient Counter deadLetters;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(RawEnvelope raw, Context ctx, Collector<UsageRecord> out) {
        String reason;
        try {
            UsageEvent event = UsageEventCodec.decode(raw.value());
            reason = outOfRange(event.metricValue());
            if (reason == null) {
                out.collect(UsageRecord.from(event));
                return;
            }
        } catch (MalformedEventException e) {
            reason = e.getMessage();
        } catch (RuntimeException e) {
            // The codec promises MalformedEventException, but a surprise must still not fail the job.
            reason = "undecodable envelope: " + e;
        }
        deadLetters.inc();
        ctx.output(DEAD_LETTERS, DeadLetter.of(raw, reason));
    }

    /**
     * The gateway already enforces these bounds; re-checking them here keeps a value that
     * NUMERIC(38,12) would silently round, or overflow, out of the totals.
     */
    private static String outOfRange(BigDecimal value) {
        BigDecimal v = value.stripTrailingZeros();
        if (v.scale() > EventValidator.MAX_FRACTION_DIGITS) {
            return "metricValue has more than " + EventValidator.MAX_FRACTION_DIGITS + " fractional digits";
        }
        if (v.precision() - v.scale() > EventValidator.MAX_INTEGER_DIGITS) {
            return "metricValue is not below 10^" + EventValidator.MAX_INTEGER_DIGITS;
        }
        return null;
    }
}
