-- Issue 16: an organisation's own limit on a metric, over the one its plan's charge carries: more headroom
-- for a customer who asked, a cap on a metric the plan leaves unlimited, or no limit at all (limit_per_period
-- and limit_kind NULL). One row per organisation and metric, in force at once and across plan changes, until
-- removed; every change is audited (subscription.limit_overridden, subscription.limit_override_removed).
CREATE TABLE limit_overrides (
    organisation_id  UUID           NOT NULL REFERENCES organisations (id),
    metric_name      TEXT           NOT NULL,
    limit_per_period NUMERIC(38,12) CHECK (limit_per_period > 0),
    limit_kind       TEXT           CHECK (limit_kind IN ('hard', 'soft')),
    updated_at       TIMESTAMPTZ    NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, metric_name),
    CHECK ((limit_per_period IS NULL) = (limit_kind IS NULL))
);
