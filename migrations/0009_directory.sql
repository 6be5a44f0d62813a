-- What the directory and HR know of a person beside their name: the login they use, their
-- manager (another person, who is told when they leave) and the language their notices are
-- written in. And the notices `handback notify` has sent, so that none is sent twice.
ALTER TABLE person ADD COLUMN username TEXT COLLATE NOCASE CHECK (username IS NULL OR username <> '');
ALTER TABLE person ADD COLUMN manager_id INTEGER REFERENCES person (id);
ALTER TABLE person ADD COLUMN language TEXT CHECK (language IS NULL OR language = 'sv' OR language = 'en');
CREATE UNIQUE INDEX person_username ON person (username) WHERE username IS NOT NULL;
CREATE INDEX person_manager ON person (manager_id) WHERE manager_id IS NOT NULL;

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
