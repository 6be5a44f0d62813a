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

INSERT INTO setting (key, value) VALUES ('session_idle_minutes', '480');
