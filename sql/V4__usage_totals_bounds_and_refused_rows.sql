-- Usage totals wide enough for the largest sum the gateway's rate limit allows in a period, and a
-- place for the rows the aggregation job's sinks could not write. V1-V3 are never edited.
--
-- A single event is below 10^20 (EventValidator), a gateway instance admits at most 50,000 events
-- per second per project (GATEWAY_RATE_LIMIT_EVENTS_PER_SECOND), and a month has at most
-- 2,678,400 seconds: one instance can add up at most 1.34 x 10^31 per project, metric and month.
-- 38 integer digits leave room for ten million gateway instances (docs/architecture.md).
-- Raising the precision of a NUMERIC at the same scale does not rewrite the table.
ALTER TABLE usage_aggregates ALTER COLUMN sum_value TYPE NUMERIC(50,12);
ALTER TABLE usage_daily ALTER COLUMN sum_value TYPE NUMERIC(50,12);

-- A row the database refused for its content (a data exception or a broken constraint): the job
-- records it here, counts it in its refusedRows metric and goes on with every other row, so one
-- tenant's data never stops metering for the others. Written at least once: a restore may record
-- the same refusal again. Text is stored with unstorable characters replaced, so this insert
-- itself cannot be refused for content.
CREATE TABLE usage_refused_rows (
    id               BIGSERIAL PRIMARY KEY,
    sink             TEXT        NOT NULL,
    organisation_id  TEXT,
    project_id       TEXT,
    row_key          TEXT        NOT NULL,
    sql_state        TEXT,
    reason           TEXT        NOT NULL,
    row_text         TEXT        NOT NULL,
    refused_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX usage_refused_rows_org_idx ON usage_refused_rows (organisation_id, refused_at);
