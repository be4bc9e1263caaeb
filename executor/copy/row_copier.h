// RowCopier: copies every row of `t` into `_t_new` in one DC, in primary-key
// chunks sized by a time target, server-side (INSERT ... SELECT), pausing as
// the Throttler says, reporting each chunk to the CopyObserver.
//
//   RowCopier copier(conn, info, throttler, observer, clock, sleeper);
//   LOCKSTEP_ASSIGN_OR_RETURN(CopyOutcome out, copier.Run(checkpoint.copy_watermark));
//
// Start it after the applier's start position was taken: the copy range's
// upper bound (the largest key) is read when Run() starts, and every row
// written after that reaches `_t_new` through the applier.
//
// Session: READ COMMITTED, so INSERT ... SELECT reads t without shared locks
// (under REPEATABLE READ it would lock every row of the chunk against app
// updates). With innodb_autoinc_lock_mode < 2, each INSERT ... SELECT into a
// table with an AUTO_INCREMENT column holds that table's AUTO-INC lock to its
// end. That table is `_t_new`: application writes go to t and never wait on
// it (lockstep has no triggers; measured), only the applier's inserts into
// `_t_new` do, so the chunk target is capped (autoinc_locked_target_ms) to
// bound how long the applier can be held up. The cap applies only while the
// throttler says the application is writing: on an idle server nothing waits
// for the lock, and short chunks only add per-chunk overhead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "db/connection.h"
#include "executor/common/sleeper.h"
#include "executor/copy/chunk_sizer.h"
#include "executor/copy/copy_layout.h"
#include "executor/copy/copy_progress.h"
#include "executor/copy/range_copier.h"
#include "executor/copy/throttle_gate.h"
#include "executor/copy/throttler.h"
#include "executor/shadow/shadow_table.h"

namespace lockstep::executor {

struct RowCopierConfig {
  ChunkSizerConfig chunk;
  // The chunk time target when each chunk holds `_t_new`'s AUTO-INC lock.
  int64_t autoinc_locked_target_ms = 100;
  RangeCopierConfig range;
  ThrottleGateConfig throttle;
  unsigned innodb_lock_wait_timeout_s = 5;  // row waits of one chunk; retried
  // A single integer primary key is cut into chunks by value (key_span.h).
  bool chunk_integer_keys_by_value = true;
};

struct CopyOutcome {
  CopyProgress progress;
  std::optional<std::string> stopped;  // the throttler's reason; nullopt when done
  int autoinc_lock_mode = -1;          // @@innodb_autoinc_lock_mode seen
};

class RowCopier {
 public:
  // References must outlive the copier. `conn` is this copier's own session
  // (its isolation level is changed). `catch_up`: see RangeCopier.
  RowCopier(Connection& conn, const ShadowTableInfo& info, Throttler& throttler,
            CopyObserver& observer, const Clock& clock, Sleeper& sleeper,
            RowCopierConfig config = {}, ApplierCatchUp* catch_up = nullptr);

  // Copies from after `resume_watermark` (from the start when nullopt) up to
  // the largest key at the time of the call. Resuming repeats at most the
  // chunk that was in flight. Returns when done or stopped by the throttler.
  [[nodiscard]] Result<CopyOutcome> Run(const std::optional<std::string>& resume_watermark);

 private:
  // Reads the session's AUTO-INC lock mode; says whether chunks hold
  // `_t_new`'s AUTO-INC lock.
  Result<bool> SetUpSession(CopyOutcome* outcome);

  Connection& conn_;
  const ShadowTableInfo& info_;
  Throttler& throttler_;
  CopyObserver& observer_;
  const Clock& clock_;
  Sleeper& sleeper_;
  const RowCopierConfig config_;
  ApplierCatchUp* const catch_up_;
};

}  // namespace lockstep::executor
