-- Version 2: the clearance statistics of `qingling stats` (docs/analyst-guide.md, "Clearance
-- statistics") over the logical copy, for every county at once, with everything shipped in
-- view (as `qingling stats FIRST..LAST --as-of` a date on or after the log's last business date).
--
-- Each hazard's lifecycle is read as a prefix in log order, as the projection reads it: the
-- status at the end of the day before `first` is the fold of its steps up to the first that
-- happened after that day; the state at the end of `last` likewise; a hazard withdrawn by its
-- last step leaves every figure. Steps fold by qingling.lifecycle_steps, the program's own
-- table of the lifecycle. Business dates are Asia/Shanghai dates (fixed UTC+08:00).

-- One hazard's figures over [first, last] (NULL rows are not returned: withdrawn hazards,
-- and events naming a hazard never reported).
CREATE FUNCTION qingling.hazard_clearance(first date, last date)
RETURNS TABLE (county text, hazard_id text, region text, industry text,
               stock integer, new integer, closed integer, closed_on_time integer, open_at_end integer,
               overdue_at_end integer, stock_closed integer, extensions integer, failed_verifications integer)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    e record;
    day_before date := first - 1;
    reported boolean := false;
    discovered date;
    latest_status text; start_status text; end_status text;
    end_deadline date; passed_on date; passed_deadline date;
    was_passed_on date; was_passed_deadline date;
    start_reached boolean; end_reached boolean;
BEGIN
    county := NULL;
    FOR e IN
        SELECT ev.county AS c, ev.hazard_id AS h, ev.step, ev.step_deadline, ev.region AS r, ev.industry AS i,
               ((ev.occurred_at AT TIME ZONE 'UTC') + interval '8 hours')::date AS happened_on,
               (ev.event -> 'data' ->> 'discoveredOn')::date AS discovered_on,
               ls.to_status, ls.sets_deadline
        FROM qingling.events ev JOIN qingling.lifecycle_steps ls ON ls.step = ev.step
        WHERE ev.hazard_id IS NOT NULL
        ORDER BY ev.county, ev.hazard_id, ev.sequence
    LOOP
        IF county IS DISTINCT FROM e.c OR hazard_id IS DISTINCT FROM e.h THEN
            -- The previous hazard is complete.
            IF reported AND latest_status <> 'withdrawn' THEN
                stock := CASE WHEN discovered < first AND start_status <> 'closed' THEN 1 ELSE 0 END;
                new := CASE WHEN discovered BETWEEN first AND last THEN 1 ELSE 0 END;
                open_at_end := CASE WHEN discovered <= last AND end_status <> 'closed' THEN 1 ELSE 0 END;
                overdue_at_end := CASE WHEN open_at_end = 1 AND end_status <> 'withdrawn' AND end_deadline < last THEN 1 ELSE 0 END;
                stock_closed := CASE WHEN stock = 1 AND end_status = 'closed' THEN 1 ELSE 0 END;
                RETURN NEXT;
            END IF;
            county := e.c; hazard_id := e.h; reported := false;
        END IF;
        IF NOT reported THEN
            -- Steps before the report (never in a valid log) are left out, as is a hazard never reported.
            CONTINUE WHEN e.step <> 'reported';
            reported := true;
            discovered := e.discovered_on; region := e.r; industry := e.i;
            latest_status := 'reported'; start_status := 'reported'; end_status := 'reported';
            end_deadline := NULL; passed_on := NULL; passed_deadline := NULL;
            start_reached := false; end_reached := false;
            closed := 0; closed_on_time := 0; extensions := 0; failed_verifications := 0;
        ELSIF e.step = 'reported' THEN
            CONTINUE;  -- a second report of the same id: the first stands
        END IF;
        latest_status := coalesce(e.to_status, latest_status);
        IF NOT start_reached THEN
            IF e.happened_on > day_before THEN start_reached := true;
            ELSE start_status := coalesce(e.to_status, start_status);
            END IF;
        END IF;
        CONTINUE WHEN end_reached;
        IF e.happened_on > last THEN end_reached := true; CONTINUE; END IF;
        was_passed_on := passed_on; was_passed_deadline := passed_deadline;
        end_status := coalesce(e.to_status, end_status);
        IF e.sets_deadline THEN end_deadline := e.step_deadline; END IF;
        IF e.step = 'verifiedPassed' THEN passed_on := e.happened_on; passed_deadline := end_deadline;
        ELSIF e.step = 'reopened' THEN passed_on := NULL; passed_deadline := NULL;
        END IF;
        CONTINUE WHEN e.happened_on < first;
        IF e.step = 'closed' THEN
            closed := closed + 1;
            IF was_passed_on <= was_passed_deadline THEN closed_on_time := closed_on_time + 1; END IF;
        ELSIF e.step = 'extended' THEN extensions := extensions + 1;
        ELSIF e.step = 'verifiedFailed' THEN failed_verifications := failed_verifications + 1;
        END IF;
    END LOOP;
    IF reported AND latest_status <> 'withdrawn' THEN
        stock := CASE WHEN discovered < first AND start_status <> 'closed' THEN 1 ELSE 0 END;
        new := CASE WHEN discovered BETWEEN first AND last THEN 1 ELSE 0 END;
        open_at_end := CASE WHEN discovered <= last AND end_status <> 'closed' THEN 1 ELSE 0 END;
        overdue_at_end := CASE WHEN open_at_end = 1 AND end_status <> 'withdrawn' AND end_deadline < last THEN 1 ELSE 0 END;
        stock_closed := CASE WHEN stock = 1 AND end_status = 'closed' THEN 1 ELSE 0 END;
        RETURN NEXT;
    END IF;
END;
$$;

-- The figures of `qingling stats FIRST..LAST --by both` for every county: a row per county,
-- region and industry with a hazard counted; a row per county with region and industry NULL
-- (its total, as `stats --by total`); and one row with county NULL (the province's total).
-- Rates are fractions (closed_on_time / closed, stock_closed / stock), NULL when undefined.
CREATE FUNCTION qingling.clearance_statistics(first date, last date)
RETURNS TABLE (county text, region text, industry text,
               stock bigint, new bigint, closed bigint, closed_on_time bigint, on_time_rate numeric,
               open_at_end bigint, overdue_at_end bigint, stock_closed bigint, stock_cleared_rate numeric,
               extensions bigint, failed_verifications bigint)
LANGUAGE sql STABLE AS $$
    SELECT h.county, h.region, h.industry,
           sum(h.stock), sum(h.new), sum(h.closed), sum(h.closed_on_time),
           sum(h.closed_on_time)::numeric / nullif(sum(h.closed), 0),
           sum(h.open_at_end), sum(h.overdue_at_end), sum(h.stock_closed),
           sum(h.stock_closed)::numeric / nullif(sum(h.stock), 0),
           sum(h.extensions), sum(h.failed_verifications)
    FROM qingling.hazard_clearance(first, last) h
    GROUP BY GROUPING SETS ((h.county, h.region, h.industry), (h.county), ())
    ORDER BY h.county NULLS LAST, h.region NULLS FIRST, h.industry NULLS FIRST
$$;
