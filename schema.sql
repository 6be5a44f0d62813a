-- handback register: the whole schema.
--
-- A new register is created by running this file as it stands; an older register is brought
-- up to date by the files in migrations/ (a test checks that both roads end in the same
-- schema). The database itself enforces the register's invariants, so no bug in the program
-- and no second process can break them:
--   * one device per serial number and per asset tag;
--   * at most one open handout per device;
--   * device statuses are one of the seven interface words;
--   * the audit trail (event) is append-only.
-- Lists of allowed words are spelled out with OR rather than IN: SQLite builds a temporary
-- B-tree for an IN list of more than two words on every insert (see migrations/0003).
--
-- Moments are UTC text, 'YYYY-MM-DDTHH:MM:SSZ', so they sort as text; calendar dates are
-- 'YYYY-MM-DD'. Employee numbers, serials and asset tags are TEXT: leading zeros matter.

CREATE TABLE person (
    id            INTEGER PRIMARY KEY,
    -- Some lists carry no employee number, only a name or an e-mail address.
    employee_no   TEXT UNIQUE,
    name          TEXT NOT NULL CHECK (name <> ''),
    -- Lower-cased name with single spaces, for "the person called ..." look-ups.
    name_key      TEXT NOT NULL,
    email         TEXT UNIQUE COLLATE NOCASE,
    department    TEXT,
    end_date      TEXT CHECK (end_date IS NULL OR date(end_date) = end_date),
    -- Set by `person forget`: name, e-mail and number have been replaced by a pseudonym.
    erased_at     TEXT,
    created_at    TEXT NOT NULL
    , username    TEXT COLLATE NOCASE CHECK (username IS NULL OR username <> ''),
    manager_id    INTEGER REFERENCES person (id),
    language      TEXT CHECK (language IS NULL OR language = 'sv' OR language = 'en'));
-- The last three columns came with migration 0009 (hence the comma first): the directory's
-- login, the manager (told when this person leaves), the language of their notices.
CREATE UNIQUE INDEX person_username ON person (username) WHERE username IS NOT NULL;
CREATE INDEX person_manager ON person (manager_id) WHERE manager_id IS NOT NULL;
-- employee_no second: an import row with a number looks for a namesake without one, and a
-- common name can be shared by hundreds.
CREATE INDEX person_name_key ON person (name_key, employee_no);
CREATE INDEX person_department ON person (department, name_key);
CREATE INDEX person_end_date ON person (end_date) WHERE end_date IS NOT NULL;

CREATE TABLE device (
    id            INTEGER PRIMARY KEY,
    -- Normalised: no white space, upper case.
    serial        TEXT NOT NULL UNIQUE CHECK (serial <> '' AND serial = upper(serial)),
    asset_tag     TEXT UNIQUE COLLATE NOCASE CHECK (asset_tag IS NULL OR asset_tag <> ''),
    -- A canonical kind word (laptop, computer, tablet, phone, headset, monitor, dock,
    -- other) or, for a kind handback does not know, the word as written.
    kind          TEXT NOT NULL CHECK (kind <> ''),
    make          TEXT,
    model         TEXT,
    purchased     TEXT CHECK (purchased IS NULL OR date(purchased) = purchased),
    status        TEXT NOT NULL CHECK (status = 'in_stock' OR status = 'handed_out'
                      OR status = 'in_repair' OR status = 'to_recycle'
                      OR status = 'recycled' OR status = 'lost' OR status = 'stolen'),
    status_since  TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
-- Only the devices nobody holds: stock, repairs, missing. Handed-out devices are found by
-- their holder, and are most of a register. A query must repeat the condition to use it.
CREATE INDEX device_status_kind ON device (status, kind, status_since)
    WHERE status <> 'handed_out';

-- Who held which device from when to when. A handout is open while returned_at is NULL.
-- own_due_back is the due date the handout was given itself (`handout --due`, a list's due
-- column); due_back is the earlier of it and the holder's last working day, and follows that
-- day (migration 0004 added own_due_back last, so it stands after return_note).
CREATE TABLE handout (
    id              INTEGER PRIMARY KEY,
    device_id       INTEGER NOT NULL REFERENCES device (id),
    person_id       INTEGER NOT NULL REFERENCES person (id),
    handed_out_at   TEXT NOT NULL,
    handed_out_by   TEXT NOT NULL,
    due_back        TEXT CHECK (due_back IS NULL OR date(due_back) = due_back),
    note            TEXT,
    -- The handout this one replaced (replace) or continued (transfer).
    follows_id      INTEGER REFERENCES handout (id),
    returned_at     TEXT CHECK (returned_at IS NULL OR returned_at >= handed_out_at),
    returned_by     TEXT,
    -- Why the handout ended: returned, replaced, transferred, lost, stolen.
    end_reason      TEXT CHECK (end_reason IS NULL OR end_reason = 'returned'
                        OR end_reason = 'replaced' OR end_reason = 'transferred'
                        OR end_reason = 'lost' OR end_reason = 'stolen'),
    return_condition TEXT CHECK (return_condition IS NULL OR return_condition = 'ok'
                        OR return_condition = 'damaged' OR return_condition = 'broken'),
    -- Where the device went when it came back: reuse (stock), repair or recycle.
    return_route    TEXT CHECK (return_route IS NULL OR return_route = 'reuse'
                        OR return_route = 'repair' OR return_route = 'recycle'),
    return_note     TEXT,
    own_due_back    TEXT CHECK (own_due_back IS NULL OR date(own_due_back) = own_due_back),
    CHECK ((returned_at IS NULL) = (end_reason IS NULL))
);
-- The invariant: at most one open handout per device.
CREATE UNIQUE INDEX handout_open_per_device ON handout (device_id) WHERE returned_at IS NULL;
CREATE INDEX handout_open_per_person ON handout (person_id) WHERE returned_at IS NULL;
CREATE INDEX handout_device ON handout (device_id, handed_out_at);
CREATE INDEX handout_person ON handout (person_id, handed_out_at);
CREATE INDEX handout_returned ON handout (returned_at) WHERE returned_at IS NOT NULL;
-- Everything the report reads of the handouts that ended in its period, so a year of
-- returns is read from this index alone.
CREATE INDEX handout_returned_report ON handout
    (returned_at, return_route, end_reason, due_back, person_id)
    WHERE returned_at IS NOT NULL;

-- The audit trail: one row per device (or person) changed, written in the same transaction
-- as the change. People are referred to by id, so their personal data lives in one table
-- and can be erased there; details never hold a person's name, e-mail or number.
CREATE TABLE event (
    id            INTEGER PRIMARY KEY,
    -- When it happened (an --on date when one was given) and when it was written down.
    at            TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    device_id     INTEGER REFERENCES device (id),
    person_id     INTEGER REFERENCES person (id),
    handout_id    INTEGER REFERENCES handout (id),
    -- The device's status after this event, for events that change a device; lets
    -- `handback check` replay the history against the current state.
    status_after  TEXT CHECK (status_after IS NULL OR status_after = 'in_stock'
                      OR status_after = 'handed_out' OR status_after = 'in_repair'
                      OR status_after = 'to_recycle' OR status_after = 'recycled'
                      OR status_after = 'lost' OR status_after = 'stolen'),
    -- JSON object with what else the event needs to read on its own.
    details       TEXT NOT NULL DEFAULT '{}',
    CHECK (device_id IS NOT NULL OR person_id IS NOT NULL)
);
CREATE INDEX event_device ON event (device_id) WHERE device_id IS NOT NULL;
CREATE INDEX event_person ON event (person_id) WHERE person_id IS NOT NULL;
-- The events that left a device lost or stolen: which devices were missing on a given day.
CREATE INDEX event_missing ON event (at)
    WHERE status_after = 'lost' OR status_after = 'stolen';

CREATE TRIGGER event_no_update BEFORE UPDATE ON event
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: events cannot be changed');
END;

CREATE TRIGGER event_no_delete BEFORE DELETE ON event
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: events cannot be deleted');
END;

-- Settings of the register itself. time_zone: the IANA zone its people live in; every local
-- calendar day handback shows or reads is in it (HANDBACK_TZ overrides it for one run).
CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

INSERT INTO setting (key, value) VALUES ('time_zone', 'Europe/Stockholm');
-- session_idle_minutes: how long a web session lasts without a request.
INSERT INTO setting (key, value) VALUES ('session_idle_minutes', '480');
-- The documents' settings (org.name, return.place, return.hours, return.contact) have no
-- default: `handback config` sets them, and documents leave out what is not set.

-- The trail of changes to the settings (`handback config`): who set or removed which key
-- when, and the value (masked for a secret). `event` cannot hold them: each of its rows
-- names a device or a person.
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

-- Who may sign in to `handback serve`, and with what role. A manager sees the people of the
-- departments listed for them only. Passwords are argon2id PHC strings; API tokens and
-- session ids are kept as SHA-256 digests, so a copy of the register opens no door.
CREATE TABLE account (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL
                  CHECK (role IN ('admin', 'technician', 'manager', 'auditor')),
    password_hash TEXT,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
);

CREATE TABLE account_department (
    account_id INTEGER NOT NULL REFERENCES account (id),
    department TEXT NOT NULL,
    PRIMARY KEY (account_id, department)
) WITHOUT ROWID;

CREATE TABLE api_token (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES account (id),
    label        TEXT,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

CREATE TABLE web_session (
    id_hash      TEXT PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES account (id),
    csrf         TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX web_session_account ON web_session (account_id);

-- Sign-ins, failed sign-ins and changes to accounts: the audit trail of who may do what,
-- beside the register's own (`event`), which records what was done to people and devices.
CREATE TABLE account_event (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL
            CHECK (action IN ('signed_in', 'sign_in_failed', 'signed_out', 'account_added',
                              'account_disabled', 'password_changed', 'token_added',
                              'token_revoked')),
    login   TEXT,
    client  TEXT,
    details TEXT NOT NULL DEFAULT '{}'
);

CREATE TRIGGER account_event_no_update BEFORE UPDATE ON account_event
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: events cannot be changed');
END;

CREATE TRIGGER account_event_no_delete BEFORE DELETE ON account_event
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: events cannot be deleted');
END;

-- One row per notice handed to the mail server, or that it refused. `subject` is what the
-- notice is about (`leaving:42:2026-12-17:14`: person 42, leaving on that day, the 14-day
-- reminder); a notice is sent once to each recipient, which the partial index enforces.
-- Recipients are named by their role and person, never by address: an erased person's
-- address must not outlive them here.
CREATE TABLE notice (
    id            INTEGER PRIMARY KEY,
    subject       TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind = 'leaver_reminder' OR kind = 'manager_reminder'
                      OR kind = 'still_held' OR kind = 'weekly_overdue'),
    person_id     INTEGER REFERENCES person (id),
    recipient     TEXT NOT NULL CHECK (recipient = 'leaver' OR recipient = 'manager'
                      OR recipient = 'it_desk'),
    recipient_id  INTEGER REFERENCES person (id),
    planned_on    TEXT NOT NULL CHECK (date(planned_on) = planned_on),
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome = 'sent' OR outcome = 'failed'),
    error         TEXT
);
CREATE UNIQUE INDEX notice_sent_once ON notice (subject, recipient) WHERE outcome = 'sent';
CREATE INDEX notice_person ON notice (person_id) WHERE person_id IS NOT NULL;

CREATE TRIGGER notice_no_update BEFORE UPDATE ON notice
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: events cannot be changed');
END;

CREATE TRIGGER notice_no_delete BEFORE DELETE ON notice
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: events cannot be deleted');
END;
