-- A migration as a developer might submit it: lint flags what breaks
-- cross-DC replication or loses data, with a suggestion for each.
ALTER TABLE sbtest.sbtest1
  ADD COLUMN note VARCHAR(64) NULL,
  ADD COLUMN flags INT NOT NULL AFTER id,
  DROP COLUMN pad;
