-- Settings of the register itself, as key and value. The first is the time zone its people
-- live in: every local calendar day handback shows or reads is in it, not in the time zone
-- of whatever machine runs handback. Registers made before it were used in Sweden.
CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

INSERT INTO setting (key, value) VALUES ('time_zone', 'Europe/Stockholm');
