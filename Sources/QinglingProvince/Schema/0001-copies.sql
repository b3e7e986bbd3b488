-- Version 1: the province's copies of county logs (`qingling ship`, `qingling restore`).
-- Applied by `qingling ship --init` in one transaction with its row in qingling.schema_version.
-- Tables holding a county's rows are partitioned by county (LIST) and, for the ones that grow
-- with time, by year (RANGE); qingling.ensure_partitions creates a county's and year's
-- partitions on demand.

-- The counties shipped here: the GB/T 2260 code, the name, and the log's identity file.
CREATE TABLE qingling.counties (
    county        text PRIMARY KEY CHECK (county ~ '^[0-9]{6}$'),
    name          text NOT NULL,
    log_meta      bytea NOT NULL,
    first_shipped timestamptz NOT NULL DEFAULT now(),
    last_shipped  timestamptz NOT NULL DEFAULT now()
);

-- The physical copy, part 1: every segment file's header and the sync marks after its last
-- batch (marks_after). `path` is relative to the log directory (segments/… or archive/<year>/…).
CREATE TABLE qingling.segments (
    county        text NOT NULL REFERENCES qingling.counties,
    path          text NOT NULL,
    year          smallint NOT NULL,
    base_sequence bigint NOT NULL,
    header        bytea NOT NULL CHECK (length(header) = 32),
    marks_after   bytea NOT NULL,
    PRIMARY KEY (county, path)
);

-- The physical copy, part 2: every batch as on disk (88-byte header and LZ4 payload), with
-- the sync marks written before it. A segment is its header, then its batches by offset
-- (marks_before, bytes), then its marks_after.
CREATE TABLE qingling.batches (
    county        text NOT NULL,
    year          smallint NOT NULL,
    base_sequence bigint NOT NULL,
    record_count  integer NOT NULL,
    path          text NOT NULL,
    "offset"      bigint NOT NULL,
    marks_before  bytea NOT NULL,
    bytes         bytea NOT NULL,
    hash          bytea NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (county, year, base_sequence)
) PARTITION BY LIST (county);

-- The logical copy: one row per event. `event` is the export's JSON form (`qingling export`).
-- hazard_id is the hazard a lifecycle event names (NULL for tip-offs, escalations, penalties,
-- rewards, which may name several: see event->'data'); region and industry are the hazard's;
-- step is the lifecycle step it takes (qingling.lifecycle_steps) and step_deadline the
-- deadline it carries (a supervision's, an extension's, a reopening's).
CREATE TABLE qingling.events (
    county      text NOT NULL,
    year        smallint NOT NULL,
    sequence    bigint NOT NULL,
    type        text NOT NULL,
    occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL,
    hazard_id   text,
    region      text,
    industry    text,
    step        text,
    step_deadline date,
    event       jsonb NOT NULL,
    hash        bytea NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (county, year, sequence)
) PARTITION BY LIST (county);

-- The lifecycle's table (一单四制): each step's status afterwards (NULL: unchanged) and whether
-- it sets the deadline in force. Written by `qingling ship` from the program's own table
-- (LifecycleStep.transition), so SQL folds hazards by the same rules.
CREATE TABLE qingling.lifecycle_steps (
    step          text PRIMARY KEY,
    to_status     text,
    sets_deadline boolean NOT NULL
);

-- Every hazard as the county's log leaves it now (the project's lifecycle, HazardRecord).
CREATE TABLE qingling.hazards (
    county           text NOT NULL,
    hazard_id        text NOT NULL,
    region           text NOT NULL,
    industry         text NOT NULL,
    status           text NOT NULL,
    deadline         date,
    lead_department  text,
    supervision      text,
    reported_on      date NOT NULL,
    last_step        text NOT NULL,
    last_step_on     date NOT NULL,
    version          integer NOT NULL,
    last_sequence    bigint NOT NULL,
    PRIMARY KEY (county, hazard_id)
) PARTITION BY LIST (county);

-- Creates the partitions of `county` (and of its `year` for the tables split by year) that
-- do not exist yet. Names: qingling.events_430682, qingling.events_430682_2024, …
CREATE FUNCTION qingling.ensure_partitions(county text, year integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    parent text;
BEGIN
    IF county !~ '^[0-9]{6}$' THEN
        RAISE EXCEPTION 'county code % is not six digits', county;
    END IF;
    FOREACH parent IN ARRAY ARRAY['batches', 'events'] LOOP
        EXECUTE format('CREATE TABLE IF NOT EXISTS qingling.%I PARTITION OF qingling.%I FOR VALUES IN (%L) PARTITION BY RANGE (year)',
                       parent || '_' || county, parent, county);
        EXECUTE format('CREATE TABLE IF NOT EXISTS qingling.%I PARTITION OF qingling.%I FOR VALUES FROM (%s) TO (%s)',
                       parent || '_' || county || '_' || year, parent || '_' || county, year, year + 1);
    END LOOP;
    EXECUTE format('CREATE TABLE IF NOT EXISTS qingling.%I PARTITION OF qingling.hazards FOR VALUES IN (%L)',
                   'hazards_' || county, county);
END;
$$;

CREATE INDEX events_hazard ON qingling.events (county, hazard_id);
CREATE INDEX hazards_region_industry ON qingling.hazards (county, region, industry);
