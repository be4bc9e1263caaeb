// DcProgressTable: each DC's phase and resume point within a migration.
//
// A DC's checkpoint (binlog position, copy watermark, counters) is written in
// one statement, so a resume never sees a watermark from one chunk with a
// binlog position from another.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "state/event_log.h"
#include "state/records.h"
#include "state/sqlite_db.h"

namespace lockstep {

class DcProgressTable {
 public:
  // All references must outlive the table. Not thread-safe: StateStore
  // serializes calls. The rows are created with the migration
  // (MigrationTable::Create).
  DcProgressTable(SqliteDb& db, const Clock& clock, EventLog& events)
      : db_(db), clock_(clock), events_(events) {}

  [[nodiscard]] Result<DcProgress> Get(int64_t migration_id, std::string_view dc);  // NotFound
  // Every DC of the migration, by name.
  [[nodiscard]] Result<std::vector<DcProgress>> List(int64_t migration_id);

  // Compare-and-swap of one DC's phase, with a dc_phase event in the same
  // transaction. Same rules and errors as MigrationTable::TransitionPhase.
  [[nodiscard]] Status TransitionDcPhase(int64_t migration_id, std::string_view dc, Phase from,
                                         Phase to, std::string_view actor, std::string_view reason);

  // Replaces the DC's checkpoint.
  //   NotFound; InvalidArgument (binlog file without position or the reverse,
  //   negative counters); FailedPrecondition: the migration or the DC is in a
  //   terminal phase (an executor that missed an abort must stop, not go on).
  [[nodiscard]] Status SaveCheckpoint(int64_t migration_id, std::string_view dc,
                                      const Checkpoint& checkpoint);

  // Replaces the DC's checksum watermark (DcProgress::checksum_watermark).
  //   FailedPrecondition: no such DC, or it is in a terminal phase.
  [[nodiscard]] Status SaveChecksumWatermark(int64_t migration_id, std::string_view dc,
                                             const std::optional<std::string>& watermark);

 private:
  Result<std::vector<DcProgress>> Query(SqliteStatement& stmt);

  SqliteDb& db_;
  const Clock& clock_;
  EventLog& events_;
};

}  // namespace lockstep
