// RangeCopier: copies one key range of `t` into `_t_new` with a single
// server-side INSERT ... SELECT, and knows what to do when it fails.
//
// The insert is INSERT IGNORE when CopySafety allows it, else a strict
// INSERT whose duplicate-key errors are diagnosed (DuplicateKeyDiagnosis):
// rows already present are skipped by a NOT EXISTS retry, real duplicates in
// t stop the copy with a report, stale rows are waited out. Lock wait
// timeouts and deadlocks are retried with backoff. Connection loss is
// returned: the caller resumes from its watermark on a new connection.
//
// Shared by RowCopier (Copy) and ChunkChecksum (Recopy of a differing chunk).
#pragma once

#include <cstdint>

#include "common/status.h"
#include "db/connection.h"
#include "db/copy_sql.h"
#include "executor/common/backoff.h"
#include "executor/common/sleeper.h"
#include "executor/copy/applier_catch_up.h"
#include "executor/copy/copy_layout.h"
#include "executor/shadow/shadow_table.h"

namespace lockstep::executor {

struct RangeCopierConfig {
  BackoffConfig retry;  // lock wait timeouts, deadlocks
  // A duplicate that t does not have waits for the applier to catch up.
  BackoffConfig stale_duplicate_retry{200, 5000, 20};
};

class RangeCopier {
 public:
  // All references must outlive the object. `conn` should be in READ
  // COMMITTED (RowCopier and ChunkChecksum set it): then the SELECT part is a
  // non-locking read and app writes to t never wait for a chunk.
  // `catch_up`, when given, is asked to apply what the binlog holds when
  // a duplicate is a row of _t_new the applier has not updated yet, instead
  // of waiting for it to come by.
  RangeCopier(Connection& conn, const ShadowTableInfo& info, const CopyLayout& layout,
              Sleeper& sleeper, RangeCopierConfig config = {}, ApplierCatchUp* catch_up = nullptr)
      : conn_(conn), info_(info), layout_(layout), sleeper_(sleeper), config_(config),
        catch_up_(catch_up) {}

  // Copies the rows of `range` that _t_new lacks; returns how many it inserted.
  [[nodiscard]] Result<uint64_t> Copy(const sql::KeyRange& range);
  // Replaces _t_new's rows of `range` with t's, in one transaction (a crash
  // between the delete and the insert must not leave a hole the applier
  // would never fill). Returns rows inserted.
  [[nodiscard]] Result<uint64_t> Recopy(const sql::KeyRange& range);

 private:
  Result<uint64_t> Run(const sql::KeyRange& range, bool replace);
  Result<uint64_t> Attempt(const sql::KeyRange& range, sql::InsertMode mode, bool replace);

  Connection& conn_;
  const ShadowTableInfo& info_;
  const CopyLayout& layout_;
  Sleeper& sleeper_;
  const RangeCopierConfig config_;
  ApplierCatchUp* const catch_up_;
};

}  // namespace lockstep::executor
