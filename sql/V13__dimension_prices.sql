-- Issue 17: a plan charge may price a metric definition: each group of the definition's usage (the rows named
-- <key>{k=v,...}) is priced on its own, with the first dimension price whose dimensions the group's values match, or
-- with the charge's own price. dimension_prices holds, per price, its dimensions and the columns a charge of its
-- model fills (docs/metering.md). A unique_count charge reads event_count of such rows: only a definition has it.
ALTER TABLE plan_charges ADD COLUMN metric_definition TEXT,
                         ADD COLUMN dimension_prices JSONB CHECK (jsonb_typeof(dimension_prices) = 'array'),
                         DROP CONSTRAINT plan_charges_aggregation_check,
                         ADD CONSTRAINT plan_charges_aggregation_check
                             CHECK (aggregation IN ('sum', 'count', 'max', 'latest', 'unique_count')),
                         ADD CONSTRAINT plan_charges_unique_count_on_definition
                             CHECK (aggregation <> 'unique_count' OR metric_definition IS NOT NULL),
                         ADD CONSTRAINT plan_charges_dimension_prices_on_definition
                             CHECK (dimension_prices IS NULL OR metric_definition IS NOT NULL);
