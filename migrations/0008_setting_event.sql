-- The trail of changes to the register's settings (`handback config`): who set or removed
-- which key when, and the value (masked for a secret). Append-only, like the other trails;
-- `event` cannot hold them, as each of its rows names a device or a person.
CREATE TABLE setting_event (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    key    TEXT NOT NULL,
    -- NULL when the setting was removed.
    value  TEXT
);

CREATE TRIGGER setting_event_no_update BEFORE UPDATE ON setting_event
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: events cannot be changed');
END;

CREATE TRIGGER setting_event_no_delete BEFORE DELETE ON setting_event
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: events cannot be deleted');
END;
