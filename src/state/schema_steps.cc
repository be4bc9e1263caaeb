#include "state/schema_steps.h"

#include <array>

namespace lockstep {
namespace {

// Conventions: STRICT tables (a wrong type is an error, not a conversion);
// times are INTEGER UTC milliseconds; enums are TEXT with a CHECK listing the
// names in state_enums.cc / phase.cc; no column holds a password or topology
// text (only fingerprints of them).
constexpr const char* kSchemaV1 = R"sql(
PRAGMA application_id = 1280004948;  -- kStateApplicationId, "LKST"

CREATE TABLE migrations (
  id                   INTEGER PRIMARY KEY,
  table_schema         TEXT NOT NULL CHECK (table_schema <> ''),
  table_name           TEXT NOT NULL CHECK (table_name <> ''),
  alter_sql            TEXT NOT NULL CHECK (alter_sql <> ''),
  alter_fingerprint    TEXT NOT NULL CHECK (alter_fingerprint <> ''),
  topology_fingerprint TEXT NOT NULL,
  plan_json            TEXT NOT NULL CHECK (json_valid(plan_json)),
  zone                 TEXT NOT NULL,
  skew_class           TEXT NOT NULL CHECK (skew_class IN ('A', 'B')),
  cutover_mode         TEXT NOT NULL CHECK (cutover_mode IN ('window', 'fenced')),
  strategy             TEXT NOT NULL CHECK (strategy IN ('instant', 'inplace', 'copy')),
  phase                TEXT NOT NULL CHECK (phase IN ('planned', 'shadow_created', 'copying',
                         'verifying', 'ready', 'cutting_over', 'cut_over', 'cleaned_up',
                         'done', 'aborted', 'failed')),
  paused               INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  requested_by         TEXT NOT NULL CHECK (requested_by <> ''),
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL,
  -- When the migration last entered each phase (planned is created_at).
  shadow_created_at    INTEGER,
  copying_at           INTEGER,
  verifying_at         INTEGER,
  ready_at             INTEGER,
  cutting_over_at      INTEGER,
  cut_over_at          INTEGER,
  cleaned_up_at        INTEGER,
  done_at              INTEGER,
  aborted_at           INTEGER,
  failed_at            INTEGER
) STRICT;

-- At most one live migration per table: two would fight over _<t>_new.
CREATE UNIQUE INDEX migrations_one_active_per_table ON migrations (table_schema, table_name)
  WHERE phase NOT IN ('done', 'aborted', 'failed');

CREATE TABLE dc_progress (
  migration_id        INTEGER NOT NULL REFERENCES migrations (id),
  dc                  TEXT NOT NULL CHECK (dc <> ''),
  phase               TEXT NOT NULL CHECK (phase IN ('planned', 'shadow_created', 'copying',
                        'verifying', 'ready', 'cutting_over', 'cut_over', 'cleaned_up',
                        'done', 'aborted', 'failed')),
  rows_copied         INTEGER NOT NULL DEFAULT 0 CHECK (rows_copied >= 0),
  rows_total_estimate INTEGER NOT NULL DEFAULT 0 CHECK (rows_total_estimate >= 0),
  copy_watermark      TEXT,     -- encoded PK tuple of the last copied row; NULL: none yet
  binlog_gtid         TEXT,     -- where the applier resumes; NULL: not started
  binlog_file         TEXT,
  binlog_pos          INTEGER,
  applier_events      INTEGER NOT NULL DEFAULT 0 CHECK (applier_events >= 0),
  updated_at          INTEGER NOT NULL,
  PRIMARY KEY (migration_id, dc),
  CHECK ((binlog_file IS NULL) = (binlog_pos IS NULL))
) STRICT, WITHOUT ROWID;

CREATE TABLE artifacts (
  id           INTEGER PRIMARY KEY,
  migration_id INTEGER NOT NULL,
  dc           TEXT NOT NULL,
  schema_name  TEXT NOT NULL CHECK (schema_name <> ''),
  object_name  TEXT NOT NULL CHECK (object_name <> ''),  -- a table or trigger name
  kind         TEXT NOT NULL CHECK (kind IN ('shadow', 'old', 'sentry', 'fence_trigger', 'marker')),
  state        TEXT NOT NULL CHECK (state IN ('planned', 'created', 'dropped')),
  planned_at   INTEGER NOT NULL,
  created_at   INTEGER,
  dropped_at   INTEGER,
  -- The DC must be one of the migration's DCs.
  FOREIGN KEY (migration_id, dc) REFERENCES dc_progress (migration_id, dc),
  -- Clean-up drops what is recorded here; a name without the leading '_'
  -- could be a user's table. Only the marker table is replicated on purpose.
  CHECK (kind = 'marker' OR substr(object_name, 1, 1) = '_')
) STRICT;

-- One owner for each live object: clean-up must never drop another
-- migration's table.
CREATE UNIQUE INDEX artifacts_one_live_per_object ON artifacts (dc, schema_name, object_name)
  WHERE state <> 'dropped';
CREATE INDEX artifacts_by_migration ON artifacts (migration_id);

CREATE TABLE cutover_attempts (
  id           INTEGER PRIMARY KEY,
  migration_id INTEGER NOT NULL REFERENCES migrations (id),
  attempt_no   INTEGER NOT NULL CHECK (attempt_no >= 1),
  mode         TEXT NOT NULL CHECK (mode IN ('window', 'fenced')),
  decision     TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'commit', 'abort')),
  started_at   INTEGER NOT NULL,
  deadline_at  INTEGER NOT NULL,  -- the end of the window; past it, pending means abort
  decided_at   INTEGER,
  timings_json TEXT CHECK (timings_json IS NULL OR json_valid(timings_json)),
  reason       TEXT NOT NULL DEFAULT '',
  UNIQUE (migration_id, attempt_no),
  CHECK ((decision = 'pending') = (decided_at IS NULL))
) STRICT;

CREATE UNIQUE INDEX cutover_attempts_one_pending ON cutover_attempts (migration_id)
  WHERE decision = 'pending';
CREATE UNIQUE INDEX cutover_attempts_one_commit ON cutover_attempts (migration_id)
  WHERE decision = 'commit';

-- A decision is final: the DCs act on it, so it must never change.
CREATE TRIGGER cutover_attempts_decided_is_final BEFORE UPDATE ON cutover_attempts
  WHEN OLD.decision <> 'pending'
  BEGIN SELECT RAISE(ABORT, 'cutover_attempts: a decided attempt is final'); END;
CREATE TRIGGER cutover_attempts_no_delete BEFORE DELETE ON cutover_attempts
  BEGIN SELECT RAISE(ABORT, 'cutover_attempts: attempts are never deleted'); END;

CREATE TABLE events (
  id           INTEGER PRIMARY KEY,
  migration_id INTEGER REFERENCES migrations (id),  -- NULL: not about one migration
  at           INTEGER NOT NULL,
  actor        TEXT NOT NULL CHECK (actor <> ''),   -- operator identity, or 'lockstep'
  kind         TEXT NOT NULL CHECK (kind <> ''),
  dc           TEXT,
  message      TEXT NOT NULL,
  reason       TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX events_by_migration ON events (migration_id, id);

-- The audit trail: rows are added, never changed or removed.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events is append-only'); END;

CREATE TABLE operator_commands (
  id           INTEGER PRIMARY KEY,
  migration_id INTEGER NOT NULL REFERENCES migrations (id),
  command      TEXT NOT NULL CHECK (command IN ('pause', 'resume', 'abort', 'throttle',
                 'postpone', 'cutover', 'override')),
  args_json    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(args_json)),
  actor        TEXT NOT NULL CHECK (actor <> ''),
  reason       TEXT NOT NULL CHECK (trim(reason) <> ''),
  created_at   INTEGER NOT NULL,
  consumed_at  INTEGER
) STRICT;

CREATE INDEX operator_commands_pending ON operator_commands (migration_id, id)
  WHERE consumed_at IS NULL;
)sql";

// Version 2: who runs each migration (runner_lease_table.h). One row per
// migration at most; the owner renews heartbeat_at and expires_at, and
// deletes the row when it stops.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE runner_leases (
  migration_id INTEGER PRIMARY KEY REFERENCES migrations (id),
  owner_host   TEXT NOT NULL CHECK (owner_host <> ''),
  owner_pid    INTEGER NOT NULL CHECK (owner_pid > 0),
  acquired_at  INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  CHECK (expires_at > heartbeat_at)
) STRICT;
)sql";

// Version 3: how far the checksum after the copy got, so that a resume in
// `verifying` repeats at most one chunk of it (encoded key, like
// copy_watermark; NULL: from the first row).
constexpr const char* kSchemaV3 = R"sql(
ALTER TABLE dc_progress ADD COLUMN checksum_watermark TEXT;
)sql";

// Version 4: the state store's identity, written once: what a DC's owner
// record names, so that a lockstep on another state file is refused there.
constexpr const char* kSchemaV4 = R"sql(
CREATE TABLE store_identity (
  id TEXT NOT NULL PRIMARY KEY CHECK (length(id) = 32)
) STRICT;
INSERT INTO store_identity (id) VALUES (lower(hex(randomblob(16))));
)sql";

// Version 5: a decided attempt's report (timings_json) may be written after
// the decision (a COMMIT's renames come after it); the decision, its time and
// reason, and the rest of the row stay final.
constexpr const char* kSchemaV5 = R"sql(
DROP TRIGGER cutover_attempts_decided_is_final;
CREATE TRIGGER cutover_attempts_decided_is_final BEFORE UPDATE ON cutover_attempts
  WHEN OLD.decision <> 'pending' AND (
    NEW.id IS NOT OLD.id OR NEW.migration_id IS NOT OLD.migration_id OR
    NEW.attempt_no IS NOT OLD.attempt_no OR NEW.mode IS NOT OLD.mode OR
    NEW.decision IS NOT OLD.decision OR NEW.started_at IS NOT OLD.started_at OR
    NEW.deadline_at IS NOT OLD.deadline_at OR NEW.decided_at IS NOT OLD.decided_at OR
    NEW.reason IS NOT OLD.reason)
  BEGIN SELECT RAISE(ABORT, 'cutover_attempts: a decided attempt is final'); END;
)sql";

constexpr std::array<SchemaStep, 5> kSteps{{
    {1, "initial schema", kSchemaV1},
    {2, "runner leases", kSchemaV2},
    {3, "checksum watermark", kSchemaV3},
    {4, "store identity", kSchemaV4},
    {5, "cut-over reports after the decision", kSchemaV5},
}};

}  // namespace

std::span<const SchemaStep> BuiltinSchemaSteps() { return kSteps; }

}  // namespace lockstep
