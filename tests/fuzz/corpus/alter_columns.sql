ALTER TABLE `db`.`t` ADD COLUMN c INT NOT NULL DEFAULT 0 AFTER b, DROP COLUMN d,
  MODIFY e varchar(20) CHARACTER SET latin1 COLLATE latin1_bin NULL FIRST,
  CHANGE f g bigint unsigned zerofill COMMENT 'it''s', RENAME COLUMN x TO y,
  ALTER COLUMN z SET DEFAULT 'q', ADD (m int, n text, INDEX (m)), ORDER BY a;
