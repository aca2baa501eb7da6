-- Issue 18: how long the raw-event archive keeps an organisation's events, when it differs from the default
-- (BILLING_ARCHIVE_RETENTION_DAYS). The archive itself is Parquet files outside the database; billing-api's
-- retention task deletes the days older than this (docs/operations.md, "The raw-event archive").
CREATE TABLE archive_retention (
    organisation_id  UUID        PRIMARY KEY REFERENCES organisations (id),
    retention_days   INTEGER     NOT NULL CHECK (retention_days BETWEEN 35 AND 3650),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
