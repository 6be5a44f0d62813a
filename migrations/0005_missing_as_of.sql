-- The events that left a device lost or stolen, so that `overdue --as-of DAY` can tell
-- which devices were missing on that day without reading the whole audit trail. Few events
-- enter it; the rest of the trail costs it nothing to keep up to date.
CREATE INDEX event_missing ON event (at)
    WHERE status_after = 'lost' OR status_after = 'stolen';
