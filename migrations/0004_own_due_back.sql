-- A handout keeps the due date it was given itself, apart from the one it has now.
--
-- `due_back` is the earlier of a handout's own due date and its holder's last working day.
-- Until now only that one date was kept, so a last working day that moved later, or was
-- cleared, could not give a handout its own earlier date back.
--
-- For the handouts already written, a due date other than the holder's last working day
-- can only be the handout's own; one equal to it is taken as set by that day.
ALTER TABLE handout ADD COLUMN own_due_back TEXT
    CHECK (own_due_back IS NULL OR date(own_due_back) = own_due_back);

UPDATE handout SET own_due_back = due_back
WHERE due_back IS NOT NULL
  AND due_back IS NOT (SELECT p.end_date FROM person p WHERE p.id = handout.person_id);
