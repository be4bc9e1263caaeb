#include "executor/copy/row_copier.h"

#include <algorithm>

#include "common/failpoint.h"
#include "db/cutover_sql.h"
#include "db/sql.h"
#include "executor/copy/key_span.h"
#include "executor/copy/watermark.h"

namespace lockstep::executor {

RowCopier::RowCopier(Connection& conn, const ShadowTableInfo& info, Throttler& throttler,
                     CopyObserver& observer, const Clock& clock, Sleeper& sleeper,
                     RowCopierConfig config, ApplierCatchUp* catch_up)
    : conn_(conn),
      info_(info),
      throttler_(throttler),
      observer_(observer),
      clock_(clock),
      sleeper_(sleeper),
      config_(config),
      catch_up_(catch_up) {}

Result<bool> RowCopier::SetUpSession(CopyOutcome* outcome) {
  LOCKSTEP_RETURN_IF_ERROR(conn_.Execute(sql::SetReadCommitted()));
  LOCKSTEP_RETURN_IF_ERROR(conn_.Execute(sql::SetInnodbLockWaitTimeout(config_.innodb_lock_wait_timeout_s)));
  LOCKSTEP_ASSIGN_OR_RETURN(std::optional<std::string> mode, conn_.QueryValue(sql::InnodbAutoincLockMode()));
  outcome->autoinc_lock_mode = mode ? std::stoi(*mode) : -1;
  const bool has_auto_increment =
      std::any_of(info_.shadow_def.columns.begin(), info_.shadow_def.columns.end(),
                  [](const sql::ColumnDef& c) { return c.auto_increment; });
  return outcome->autoinc_lock_mode != 2 && has_auto_increment;
}

Result<CopyOutcome> RowCopier::Run(const std::optional<std::string>& resume_watermark) {
  LOCKSTEP_ASSIGN_OR_RETURN(CopyLayout layout, MakeCopyLayout(info_));
  CopyOutcome outcome;
  LOCKSTEP_ASSIGN_OR_RETURN(const bool autoinc_locked, SetUpSession(&outcome));
  const int64_t capped_target_ms = std::min(config_.chunk.target_ms, config_.autoinc_locked_target_ms);
  ChunkSizer sizer(config_.chunk);
  RangeCopier range_copier(conn_, info_, layout, sleeper_, config_.range, catch_up_);
  ThrottleGate gate(throttler_, clock_, sleeper_, config_.throttle);

  std::optional<sql::KeyTuple> after;
  if (resume_watermark) {
    LOCKSTEP_ASSIGN_OR_RETURN(after, DecodeWatermark(*resume_watermark, layout.source.key.size()));
  }
  CopyProgress& progress = outcome.progress;
  progress.watermark = resume_watermark;
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult status, conn_.Query(sql::TableStatus(info_.schema, info_.table)));
  progress.rows_total_estimate = std::stoll(status.Get(0, "TABLE_ROWS").value_or("0"));

  // Rows above the watermark are the work of a process that died: a chunk
  // copied but not checkpointed, and the changes its applier wrote there.
  // Their states may be stale, and the copy below keeps rows it finds
  // (INSERT IGNORE) while the applier leaves those keys to the copy: gone,
  // the copy and the applier make them exact again. The applier holds until
  // CopyStarting, so nothing of this process is deleted.
  // In pieces: a large one is one transaction's undo and one binlog event
  // that the DC's replicas replay as a whole.
  constexpr uint64_t kDeletePiece = 5000;
  for (uint64_t deleted = kDeletePiece; deleted == kDeletePiece;) {
    LOCKSTEP_RETURN_IF_ERROR(
        conn_.Execute(sql::DeleteAbove(layout.target, after ? &*after : nullptr, static_cast<int64_t>(kDeletePiece))));
    deleted = conn_.affected_rows();
  }
  LOCKSTEP_ASSIGN_OR_RETURN(std::optional<sql::KeyTuple> upper, ReadKey(conn_, sql::MaxKey(layout.source)));
  observer_.CopyStarting(after, upper);
  if (!upper) {  // t is empty: everything will come through the applier
    progress.done = true;
    return outcome;
  }
  bool by_value = config_.chunk_integer_keys_by_value && HasIntegerKey(info_, layout);
  int64_t active_ms = 0;
  while (true) {
    LOCKSTEP_ASSIGN_OR_RETURN(std::optional<std::string> stop, gate.Await());
    progress.throttled_ms = gate.waited_ms();
    if (stop) {
      outcome.stopped = stop;
      return outcome;
    }
    if (autoinc_locked) {
      sizer.set_target_ms(throttler_.ApplicationWriting() ? capped_target_ms : config_.chunk.target_ms);
    }
    const int64_t want = sizer.rows();
    const int64_t start = clock_.NowMillis();
    const sql::KeyRange to_upper{after ? &*after : nullptr, &*upper};
    std::optional<sql::KeyTuple> end;
    // The first chunk starts at the smallest key, which only ChunkEnd knows.
    if (by_value && after) end = KeySpanEnd(*after, want, *upper);
    const bool chunk_by_value = end.has_value();
    if (!chunk_by_value) {
      LOCKSTEP_ASSIGN_OR_RETURN(end, ReadKey(conn_, sql::ChunkEnd(layout.source, to_upper, want - 1)));
    }
    // Fewer than `want` rows left, or exactly `want`: this chunk reaches the end.
    const bool last = !end.has_value() || *end == *upper;
    if (last) end = upper;
    observer_.ChunkStarting(*end, *upper);
    LOCKSTEP_ASSIGN_OR_RETURN(uint64_t inserted,
                              range_copier.Copy({after ? &*after : nullptr, &*end}));
    const int64_t elapsed = std::max<int64_t>(clock_.NowMillis() - start, 0);
    // A full chunk read `want` rows whether or not they were new.
    sizer.Record(last ? static_cast<int64_t>(inserted) : want, elapsed);
    if (chunk_by_value && !last && 2 * static_cast<int64_t>(inserted) < want) {
      by_value = false;  // a sparse key: chunks by value would be small, back to ChunkEnd
    }

    active_ms += elapsed;
    progress.chunk_lower = after ? std::optional<std::string>(EncodeWatermark(*after)) : std::nullopt;
    progress.watermark = EncodeWatermark(*end);
    progress.rows_copied += static_cast<int64_t>(inserted);
    progress.rows_total_estimate = std::max(progress.rows_total_estimate, progress.rows_copied);
    progress.rows_per_second = active_ms > 0 ? 1000.0 * static_cast<double>(progress.rows_copied) /
                                                   static_cast<double>(active_ms)
                                             : 0;
    progress.chunks += 1;
    progress.chunk_rows = sizer.rows();
    progress.last_chunk_rows = static_cast<int64_t>(inserted);
    progress.last_chunk_ms = elapsed;
    progress.done = last;
    after = std::move(end);
    Failpoint("after_chunk_copied");  // crash tests: a chunk copied, its checkpoint not written
    LOCKSTEP_RETURN_IF_ERROR(observer_.ChunkCopied(progress));
    if (last) return outcome;
  }
}

}  // namespace lockstep::executor
