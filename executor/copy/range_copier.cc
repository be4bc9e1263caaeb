#include "executor/copy/range_copier.h"

#include "db/cutover_sql.h"
#include "db/server_errors.h"
#include "executor/copy/duplicate_key_diagnosis.h"

namespace lockstep::executor {

Result<uint64_t> RangeCopier::Copy(const sql::KeyRange& range) { return Run(range, false); }

Result<uint64_t> RangeCopier::Recopy(const sql::KeyRange& range) { return Run(range, true); }

Result<uint64_t> RangeCopier::Attempt(const sql::KeyRange& range, sql::InsertMode mode,
                                      bool replace) {
  const std::string insert = sql::CopyRange(layout_.source, layout_.target, layout_.columns, mode, range);
  if (!replace) {
    LOCKSTEP_RETURN_IF_ERROR(conn_.Execute(insert));
    return conn_.affected_rows();
  }
  LOCKSTEP_RETURN_IF_ERROR(conn_.Execute(sql::Begin()));
  Status st = conn_.Execute(sql::DeleteRange(layout_.target, range));
  uint64_t inserted = 0;
  if (st.ok()) st = conn_.Execute(insert);
  if (st.ok()) inserted = conn_.affected_rows();
  if (st.ok()) st = conn_.Execute(sql::Commit());
  if (!st.ok()) {
    // A failed COMMIT or a lost connection rolls back by itself; the
    // rollback's own error would only hide the first one.
    (void)conn_.Execute(sql::Rollback());
    return st;
  }
  return inserted;
}

Result<uint64_t> RangeCopier::Run(const sql::KeyRange& range, bool replace) {
  sql::InsertMode mode =
      info_.copy_safety.ignore_allowed ? sql::InsertMode::kIgnore : sql::InsertMode::kStrict;
  Backoff retry(config_.retry);
  Backoff stale(config_.stale_duplicate_retry);
  while (true) {
    Result<uint64_t> done = Attempt(range, mode, replace);
    if (done.ok()) return done;
    const Status& st = done.status();
    Backoff* backoff = &retry;
    if (IsDuplicateKeyError(st)) {
      LOCKSTEP_ASSIGN_OR_RETURN(DuplicateKeyDiagnosis diagnosis,
                                DiagnoseDuplicateKey(conn_, info_, layout_, st));
      switch (diagnosis.kind) {
        case DuplicateKeyDiagnosis::Kind::kSourceDuplicates:
          return diagnosis.report;
        case DuplicateKeyDiagnosis::Kind::kAlreadyCopied:
          if (mode != sql::InsertMode::kSkipExisting) {
            mode = sql::InsertMode::kSkipExisting;  // at once: nothing to wait for
            continue;
          }
          break;  // the applier inserted a row of the range meanwhile: retry
        case DuplicateKeyDiagnosis::Kind::kTransient:
          backoff = &stale;
          if (catch_up_ && stale.attempts() == 0) {
            // The applier nets changes for seconds before it writes them:
            // have it write what the binlog holds now and try again at once.
            // If that is not enough (the value keeps moving), back off as
            // before, with a catch-up before each try. A catch-up that times
            // out is one failed try; a failed applier fails the copy.
            (void)stale.Failed();
            Status caught = catch_up_->WaitForApplierCaughtUp();
            if (!caught.ok() && !caught.IsTimeout()) return caught;
            continue;
          }
          if (catch_up_) {
            Status caught = catch_up_->WaitForApplierCaughtUp();
            if (!caught.ok() && !caught.IsTimeout()) return caught;
          }
          break;
      }
    } else if (IsConnectionError(st.server_errno()) || !IsRetryableError(st.server_errno())) {
      return st;
    }
    if (!backoff->Failed()) {
      return st.WithContext("copying a chunk of " + info_.table + " failed " +
                            std::to_string(backoff->attempts()) + " times");
    }
    sleeper_.SleepFor(backoff->delay_ms());
  }
}

}  // namespace lockstep::executor
