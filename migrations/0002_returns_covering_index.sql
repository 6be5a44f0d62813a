-- The report reads every handout that ended in its period (often a year: 100,000s of rows in
-- a large register). This index holds all it reads, so those rows never leave the index.
CREATE INDEX handout_returned_report ON handout
    (returned_at, return_route, end_reason, due_back, person_id)
    WHERE returned_at IS NOT NULL;
