-- Issue 17: hourly totals, written by the aggregation job like the daily ones (absolute values, final once the
-- period is), for the usage API's granularity=hour and for ranges that do not start or end on a day. hour is the
-- instant an hour of the billing timezone starts at (Asia/Kolkata's start at half past a UTC hour).
CREATE TABLE usage_hourly (
    project_id       UUID           NOT NULL,
    organisation_id  UUID           NOT NULL,
    metric_name      TEXT           NOT NULL,
    hour             TIMESTAMPTZ    NOT NULL,
    timezone         TEXT           NOT NULL,
    unit             TEXT           NOT NULL,
    sum_value        NUMERIC(50,12) NOT NULL CHECK (sum_value >= 0),
    event_count      BIGINT         NOT NULL CHECK (event_count >= 0),
    min_value        NUMERIC(38,12) NOT NULL,
    max_value        NUMERIC(38,12) NOT NULL,
    latest_value     NUMERIC(38,12) NOT NULL,
    latest_at        TIMESTAMPTZ    NOT NULL,
    is_final         BOOLEAN        NOT NULL DEFAULT false,
    updated_at       TIMESTAMPTZ    NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, metric_name, hour),
    CHECK (min_value <= max_value)
);
-- The usage API reads a project's (or an organisation's) hours of a range, every metric or one definition's groups.
CREATE INDEX usage_hourly_project_hour_idx ON usage_hourly (project_id, hour);
CREATE INDEX usage_hourly_org_hour_idx ON usage_hourly (organisation_id, hour);
