-- Issue 17: metric definitions. An operator defines how the events of one metric name are metered: the
-- aggregation (sum, count, max, latest, or the exact number of distinct values of a metadata property), filters
-- on metadata and up to three metadata keys to group by. A change is a new version, effective from an instant
-- that is never in the past, so that no closed period is ever computed under another definition.
CREATE TABLE metric_definitions (
    key             TEXT        NOT NULL,
    version         INT         NOT NULL CHECK (version >= 1),
    display_name    TEXT        NOT NULL,
    unit            TEXT        NOT NULL,
    event_metric    TEXT        NOT NULL,
    aggregation     TEXT        NOT NULL CHECK (aggregation IN ('sum', 'count', 'max', 'latest', 'unique_count')),
    unique_property TEXT,
    filters         JSONB       NOT NULL DEFAULT '[]',
    group_by        TEXT[]      NOT NULL DEFAULT '{}',
    effective_from  TIMESTAMPTZ NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (key, version),
    CHECK ((aggregation = 'unique_count') = (unique_property IS NOT NULL)),
    CHECK (cardinality(group_by) <= 3)
);

-- Written in the transaction that writes a version; the relay publishes the definition's versions to the
-- compacted topic metric-definitions (keyed by the definition's key) and then marks the row published. A
-- committed definition is therefore always published, at least once, in order per key.
CREATE TABLE metric_definition_outbox (
    id           BIGSERIAL   PRIMARY KEY,
    key          TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);
CREATE INDEX metric_definition_outbox_pending ON metric_definition_outbox (id) WHERE published_at IS NULL;
