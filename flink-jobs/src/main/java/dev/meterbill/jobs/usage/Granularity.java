package dev.meterbill.jobs.usage;

import dev.meterbill.events.BillingPeriod;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple3;

/**
 * The time buckets usage is totalled in, always in the event's billing timezone: calendar
 * months ({@code YYYY-MM}, table usage_aggregates) and calendar days ({@code YYYY-MM-DD}, usage_daily).
 */
public enum Granularity {
    MONTH {
        @Override
        public String bucketOf(Instant timestamp, String zone) {
            return BillingPeriod.containing(timestamp, zone).key();
        }

        @Override
        public Instant endOf(String bucket, String zone) {
            return new BillingPeriod(YearMonth.parse(bucket), ZoneId.of(zone)).end();
        }
    },
    DAY {
        @Override
        public String bucketOf(Instant timestamp, String zone) {
            return BillingPeriod.dayOf(timestamp, zone).toString();
        }

        @Override
        public Instant endOf(String bucket, String zone) {
            return LocalDate.parse(bucket).plusDays(1).atStartOfDay(ZoneId.of(zone)).toInstant();
        }
    };

    public static final TypeInformation<Tuple3<String, String, String>> KEY_TYPE =
            Types.TUPLE(Types.STRING, Types.STRING, Types.STRING);

    /** The bucket an instant falls in, as stored in SQL. */
    public abstract String bucketOf(Instant timestamp, String zone);

    /** The first instant after the bucket. */
    public abstract Instant endOf(String bucket, String zone);

    /** (projectId, metricName, bucket): the primary key of the bucket's table row. */
    public KeySelector<UsageRecord, Tuple3<String, String, String>> keySelector() {
        return new Key(this);
    }

    private static final class Key implements KeySelector<UsageRecord, Tuple3<String, String, String>> {
        private static final long serialVersionUID = 1L;
        private final Granularity granularity;

        Key(Granularity granularity) {
            this.granularity = granularity;
        }

        @Override
        public Tuple3<String, String, String> getKey(UsageRecord r) {
            return Tuple3.of(r.projectId(), r.metricName(), granularity.bucketOf(r.timestamp(), r.billingTimezone()));
        }
    }
}
