// Plain rows of the state store: what callers hand in and what they get back.
//
// Pattern: `X` is what a caller supplies; `XRecord` is X as stored, with the
// id and times the store assigned. All times are UTC milliseconds from the
// store's Clock. Nothing here holds a password or the topology's text.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "state/phase.h"
#include "state/state_enums.h"

namespace lockstep {

struct MigrationSpec {
  std::string table_schema;
  std::string table_name;
  std::string alter_sql;
  std::string alter_fingerprint;         // hash of the normalized ALTER; a resume compares it
  std::string topology_fingerprint;      // hash of the topology planned against; may be empty
  std::string plan_json;                 // the Plan as JSON (must be valid JSON)
  std::string zone;                      // the zone's name
  SkewClass skew_class = SkewClass::kB;  // unknown changes are B: fail closed
  CutoverMode cutover_mode = CutoverMode::kFenced;
  Strategy strategy = Strategy::kCopy;
  std::vector<std::string> dcs;  // every DC the migration runs in; at least one, no repeats
  std::string requested_by;      // operator identity
};

struct MigrationRecord {
  int64_t id = 0;
  MigrationSpec spec;  // spec.dcs in name order
  Phase phase = Phase::kPlanned;
  bool paused = false;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  // The last time the migration entered each phase it has entered
  // (planned: created_at).
  std::map<Phase, int64_t> phase_entered_at;
};

struct MigrationFilter {
  bool active_only = false;  // leave out done, aborted and failed
  std::optional<std::string> table_schema;
  std::optional<std::string> table_name;
  int64_t limit = 1000;  // newest first
};

// One DC's resume point. The caller reads the binlog position BEFORE the
// copy watermark: on resume, replaying events already applied is harmless
// (the applier is idempotent), skipping some is not.
struct Checkpoint {
  std::optional<std::string> binlog_gtid;
  std::optional<std::string> binlog_file;  // set together with binlog_pos, or neither
  std::optional<int64_t> binlog_pos;
  std::optional<std::string> copy_watermark;  // encoded PK tuple of the last copied row
  int64_t rows_copied = 0;
  int64_t rows_total_estimate = 0;
  int64_t applier_events = 0;
};

struct DcProgress {
  int64_t migration_id = 0;
  std::string dc;
  Phase phase = Phase::kPlanned;
  Checkpoint checkpoint;
  // The upper end (encoded key) of the last chunk the checksum found equal,
  // with every chunk before it: a resumed checksum starts after it.
  std::optional<std::string> checksum_watermark;
  int64_t updated_at = 0;
};

struct Artifact {
  int64_t migration_id = 0;
  std::string dc;  // one of the migration's DCs
  std::string schema_name;
  std::string object_name;  // table or trigger; starts with '_' unless kind is marker
  ArtifactKind kind = ArtifactKind::kShadow;
};

struct ArtifactRecord {
  int64_t id = 0;
  Artifact artifact;
  ArtifactState state = ArtifactState::kPlanned;
  int64_t planned_at = 0;
  std::optional<int64_t> created_at;
  std::optional<int64_t> dropped_at;
};

struct CutoverAttempt {
  int64_t id = 0;
  int64_t migration_id = 0;
  int64_t attempt_no = 0;  // 1, 2, ... per migration
  CutoverMode mode = CutoverMode::kFenced;
  CutoverDecision decision = CutoverDecision::kPending;
  int64_t started_at = 0;
  int64_t deadline_at = 0;
  std::optional<int64_t> decided_at;
  std::optional<std::string> timings_json;  // per-DC timings and skew, set with the decision
  std::string reason;
};

struct Event {
  std::optional<int64_t> migration_id;  // nullopt: not about one migration
  std::string actor;                    // operator identity, or "lockstep"
  std::string kind;                     // see event_kinds in event_log.h
  std::optional<std::string> dc;
  std::string message;
  std::string reason;  // why; required from operators by the commands that take --reason
};

struct EventRecord {
  int64_t id = 0;  // increasing: a reader continues from the last id it saw
  int64_t at = 0;
  Event event;
};

struct OperatorCommand {
  int64_t migration_id = 0;
  OperatorCommandKind command = OperatorCommandKind::kPause;
  std::string args_json = "{}";
  std::string actor;
  std::string reason;  // required, not blank
};

// The process running a migration: its host and process id. A lease held by
// a process of the caller's own host can be checked for a dead owner.
struct RunnerIdentity {
  std::string host;
  int64_t pid = 0;

  bool operator==(const RunnerIdentity&) const = default;
};

// Who runs a migration right now. The owner renews it (heartbeat_at) well
// within its time to live; past expires_at nobody holds it.
struct RunnerLease {
  int64_t migration_id = 0;
  RunnerIdentity owner;
  int64_t acquired_at = 0;
  int64_t heartbeat_at = 0;
  int64_t expires_at = 0;
};

struct OperatorCommandRecord {
  int64_t id = 0;
  OperatorCommand command;
  int64_t created_at = 0;
  std::optional<int64_t> consumed_at;
};

}  // namespace lockstep
