#include "executor/verify/chunk_checksum.h"

#include <algorithm>

#include "db/cutover_sql.h"
#include "executor/copy/watermark.h"

namespace lockstep::executor {

const char* ChecksumOutcomeName(ChecksumChunkResult::Outcome outcome) {
  switch (outcome) {
    case ChecksumChunkResult::Outcome::kMatch: return "match";
    case ChecksumChunkResult::Outcome::kMatchAfterCatchUp: return "match-after-catch-up";
    case ChecksumChunkResult::Outcome::kMatchAfterRecopy: return "match-after-recopy";
    case ChecksumChunkResult::Outcome::kMismatch: return "mismatch";
  }
  return "unknown";
}

ChunkChecksum::ChunkChecksum(Connection& conn, const ShadowTableInfo& info, ApplierCatchUp& applier,
                             Throttler& throttler, ChecksumObserver& observer, const Clock& clock,
                             Sleeper& sleeper, ChunkChecksumConfig config)
    : conn_(conn),
      info_(info),
      applier_(applier),
      throttler_(throttler),
      observer_(observer),
      clock_(clock),
      sleeper_(sleeper),
      config_(config),
      columns_(MakeChecksumColumns(info)) {}

Result<ChunkChecksum::Sums> ChunkChecksum::Checksum(const sql::RangeTable& table,
                                                    const std::vector<sql::ChecksumValue>& values,
                                                    const sql::KeyRange& range) {
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult r, conn_.Query(sql::RangeChecksum(table, values, range)));
  if (r.rows.empty() || r.rows[0].size() < 2) return Status::Internal("checksum returned no row");
  return Sums{std::stoll(r.rows[0][0].value_or("0")), std::stoll(r.rows[0][1].value_or("0"))};
}

Result<bool> ChunkChecksum::Compare(const sql::KeyRange& range, ChecksumChunkResult* result) {
  LOCKSTEP_ASSIGN_OR_RETURN(Sums source, Checksum(layout_.source, columns_.source, range));
  LOCKSTEP_ASSIGN_OR_RETURN(Sums target, Checksum(layout_.target, columns_.target, range));
  result->comparisons += 1;
  result->source_rows = source.rows;
  result->target_rows = target.rows;
  result->source_crc = source.crc;
  result->target_crc = target.crc;
  return source == target;
}

Result<bool> ChunkChecksum::CompareLocked(const sql::KeyRange& range, ChecksumChunkResult* result) {
  // REPEATABLE READ for this one transaction: its locking read takes the gaps
  // too, so no row can be inserted into the range while it is compared.
  LOCKSTEP_RETURN_IF_ERROR(conn_.Execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"));
  LOCKSTEP_RETURN_IF_ERROR(conn_.Execute("START TRANSACTION"));
  auto run = [&]() -> Result<bool> {
    LOCKSTEP_RETURN_IF_ERROR(conn_.Query(sql::LockRangeShared(layout_.source, range)).status());
    LOCKSTEP_RETURN_IF_ERROR(applier_.WaitForApplierCaughtUp());
    return Compare(range, result);
  };
  Result<bool> equal = run();
  Status ended = conn_.Execute("COMMIT");
  if (!equal.ok()) return equal.status();
  LOCKSTEP_RETURN_IF_ERROR(ended);
  return *equal;
}

Status ChunkChecksum::CheckChunk(const sql::KeyRange& range, ChecksumChunkResult* result) {
  using Outcome = ChecksumChunkResult::Outcome;
  const int64_t started = clock_.NowMillis();
  LOCKSTEP_ASSIGN_OR_RETURN(bool equal, Compare(range, result));
  result->first_compare_ms = std::max<int64_t>(clock_.NowMillis() - started, 0);
  if (equal) {
    result->outcome = Outcome::kMatch;
    return Status::Ok();
  }
  LOCKSTEP_RETURN_IF_ERROR(applier_.WaitForApplierCaughtUp());
  LOCKSTEP_ASSIGN_OR_RETURN(equal, Compare(range, result));
  if (equal) {
    result->outcome = Outcome::kMatchAfterCatchUp;
    return Status::Ok();
  }
  // Still different: rows of the chunk change faster than the applier
  // catches up. The chunk's own counts are kept for the record and the
  // chunk sizer; the pieces only decide the outcome.
  const ChecksumChunkResult whole = *result;
  Result<Outcome> settled = whole.source_rows > config_.locked_piece_rows
                                ? SettleInPieces(range, result)
                                : SettleUnderWrites(range, result);
  if (!settled.ok()) return settled.status();
  if (whole.source_rows > config_.locked_piece_rows) {
    result->source_rows = whole.source_rows;
    result->target_rows = whole.target_rows;
    result->source_crc = whole.source_crc;
    result->target_crc = whole.target_crc;
  }
  result->outcome = *settled;
  return Status::Ok();
}

Result<ChecksumChunkResult::Outcome> ChunkChecksum::SettleUnderWrites(const sql::KeyRange& range,
                                                                      ChecksumChunkResult* result) {
  using Outcome = ChecksumChunkResult::Outcome;
  // Compared with the range's rows in t held against writers, after the
  // applier reached the position read under the lock: both sides are then
  // one moment. Writers of this range wait that long.
  LOCKSTEP_ASSIGN_OR_RETURN(bool equal, CompareLocked(range, result));
  if (equal) return Outcome::kMatchAfterCatchUp;
  LOCKSTEP_ASSIGN_OR_RETURN(uint64_t inserted, copier_->Recopy(range));
  result->recopied_rows += static_cast<int64_t>(inserted);
  for (int i = 0; i < std::max(config_.rechecks_after_recopy, 1); ++i) {
    LOCKSTEP_ASSIGN_OR_RETURN(equal, CompareLocked(range, result));
    if (equal) return Outcome::kMatchAfterRecopy;
  }
  return Outcome::kMismatch;
}

Result<ChecksumChunkResult::Outcome> ChunkChecksum::SettleInPieces(const sql::KeyRange& range,
                                                                   ChecksumChunkResult* result) {
  using Outcome = ChecksumChunkResult::Outcome;
  Outcome worst = Outcome::kMatchAfterCatchUp;
  std::optional<sql::KeyTuple> after;
  if (range.after) after = *range.after;
  while (true) {
    const sql::KeyRange rest{after ? &*after : nullptr, range.upper};
    LOCKSTEP_ASSIGN_OR_RETURN(
        std::optional<sql::KeyTuple> end,
        ReadKey(conn_, sql::ChunkEnd(layout_.source, rest, config_.locked_piece_rows - 1)));
    const bool last = !end.has_value() || *end == *range.upper;
    if (last) end = *range.upper;
    const sql::KeyRange piece{after ? &*after : nullptr, &*end};
    // A catch-up of its own: a piece compared right after it differs only
    // where a row changed in those few milliseconds, not in the applier's
    // whole lag (a burst: up to a second of writes).
    LOCKSTEP_RETURN_IF_ERROR(applier_.WaitForApplierCaughtUp());
    LOCKSTEP_ASSIGN_OR_RETURN(bool equal, Compare(piece, result));
    if (!equal) {
      result->pieces_locked += 1;
      LOCKSTEP_ASSIGN_OR_RETURN(Outcome outcome, SettleUnderWrites(piece, result));
      worst = std::max(worst, outcome);
    }
    if (last) return worst;
    after = std::move(end);
  }
}

void ChecksumVerdict::Add(const ChecksumVerdict& later) {
  chunks += later.chunks;
  rows += later.rows;
  matched_after_catch_up += later.matched_after_catch_up;
  recopied += later.recopied;
  mismatches.insert(mismatches.end(), later.mismatches.begin(), later.mismatches.end());
  if (later.checked_upto) checked_upto = later.checked_upto;
  if (later.stopped) stopped = later.stopped;
  passed = mismatches.empty() && !stopped;
}

Status ChunkChecksum::Prepare() {
  if (gate_) return Status::Ok();
  LOCKSTEP_ASSIGN_OR_RETURN(layout_, MakeCopyLayout(info_));
  LOCKSTEP_RETURN_IF_ERROR(conn_.Execute(sql::SetReadCommitted()));
  LOCKSTEP_RETURN_IF_ERROR(conn_.Execute(sql::SetInnodbLockWaitTimeout(config_.innodb_lock_wait_timeout_s)));
  sizer_.emplace(config_.chunk);
  copier_.emplace(conn_, info_, layout_, sleeper_, config_.range, &applier_);
  gate_.emplace(throttler_, clock_, sleeper_, config_.throttle);
  return Status::Ok();
}

Result<ChecksumVerdict> ChunkChecksum::Run(const std::optional<std::string>& resume_after) {
  LOCKSTEP_RETURN_IF_ERROR(Prepare());
  std::optional<sql::KeyTuple> after;
  if (resume_after) {
    LOCKSTEP_ASSIGN_OR_RETURN(after, DecodeWatermark(*resume_after, layout_.source.key.size()));
  }
  ChecksumVerdict verdict;
  LOCKSTEP_ASSIGN_OR_RETURN(std::optional<sql::KeyTuple> upper, ReadKey(conn_, sql::MaxKey(layout_.source)));
  if (!upper) {
    // t is empty: _t_new must be too (below any key there is nothing to
    // range over, so count it whole).
    LOCKSTEP_ASSIGN_OR_RETURN(std::optional<std::string> n,
                              conn_.QueryValue(sql::CountRows(info_.schema, info_.shadow_table)));
    verdict.passed = n.value_or("") == "0";
    return verdict;
  }
  if (after && *after == *upper) {
    // Everything up to t's largest key was checked before (while copying).
    verdict.passed = true;
    return verdict;
  }
  LOCKSTEP_RETURN_IF_ERROR(CheckRange(std::move(after), *upper, verdict));
  if (!verdict.stopped) LOCKSTEP_RETURN_IF_ERROR(CheckTail(*upper, verdict));
  return verdict;
}

Status ChunkChecksum::CheckTail(const sql::KeyTuple& upper, ChecksumVerdict& verdict) {
  // Rows of _t_new above t's largest key at the start: rows t gained since
  // (the applier's), or rows t no longer has. The range up to the larger of
  // the two tables' largest keys is compared like any other.
  LOCKSTEP_ASSIGN_OR_RETURN(std::optional<std::string> any,
                            conn_.QueryValue(sql::AnyAbove(layout_.target, upper)));
  if (any.value_or("0") == "0") return Status::Ok();
  LOCKSTEP_ASSIGN_OR_RETURN(std::optional<sql::KeyTuple> shadow_top, ReadKey(conn_, sql::MaxKey(layout_.target)));
  if (!shadow_top) return Status::Ok();
  LOCKSTEP_ASSIGN_OR_RETURN(std::optional<std::string> beyond,
                            conn_.QueryValue(sql::AnyAbove(layout_.source, *shadow_top)));
  sql::KeyTuple top = *shadow_top;
  if (beyond.value_or("0") != "0") {
    LOCKSTEP_ASSIGN_OR_RETURN(std::optional<sql::KeyTuple> source_top, ReadKey(conn_, sql::MaxKey(layout_.source)));
    if (source_top) top = *source_top;
  }
  return CheckRange(upper, top, verdict);
}

Result<ChecksumVerdict> ChunkChecksum::RunUpTo(const std::optional<std::string>& after_key,
                                               const std::string& upper_key) {
  LOCKSTEP_RETURN_IF_ERROR(Prepare());
  const size_t width = layout_.source.key.size();
  std::optional<sql::KeyTuple> after;
  if (after_key) {
    LOCKSTEP_ASSIGN_OR_RETURN(after, DecodeWatermark(*after_key, width));
  }
  LOCKSTEP_ASSIGN_OR_RETURN(sql::KeyTuple upper, DecodeWatermark(upper_key, width));
  ChecksumVerdict verdict;
  LOCKSTEP_RETURN_IF_ERROR(CheckRange(std::move(after), upper, verdict));
  return verdict;
}

Status ChunkChecksum::CheckRange(std::optional<sql::KeyTuple> after, const sql::KeyTuple& upper,
                                 ChecksumVerdict& verdict) {
  while (true) {
    LOCKSTEP_ASSIGN_OR_RETURN(std::optional<std::string> stop, gate_->Await());
    if (stop) {
      verdict.stopped = stop;
      verdict.passed = false;
      return Status::Ok();
    }
    const int64_t want = sizer_->rows();
    const sql::KeyRange to_upper{after ? &*after : nullptr, &upper};
    LOCKSTEP_ASSIGN_OR_RETURN(std::optional<sql::KeyTuple> end,
                              ReadKey(conn_, sql::ChunkEnd(layout_.source, to_upper, want - 1)));
    const bool last = !end.has_value() || *end == upper;
    if (last) end = upper;
    ChecksumChunkResult result;
    result.lower = after ? std::optional<std::string>(EncodeWatermark(*after)) : std::nullopt;
    result.upper = EncodeWatermark(*end);
    LOCKSTEP_RETURN_IF_ERROR(CheckChunk({after ? &*after : nullptr, &*end}, &result));
    sizer_->Record(last ? result.source_rows : want, result.first_compare_ms);

    verdict.chunks += 1;
    verdict.rows += result.source_rows;
    verdict.checked_upto = result.upper;
    if (result.outcome == ChecksumChunkResult::Outcome::kMatchAfterCatchUp) verdict.matched_after_catch_up += 1;
    if (result.outcome == ChecksumChunkResult::Outcome::kMatchAfterRecopy) verdict.recopied += 1;
    if (result.outcome == ChecksumChunkResult::Outcome::kMismatch) verdict.mismatches.push_back(result);
    LOCKSTEP_RETURN_IF_ERROR(observer_.ChunkChecked(result));
    after = std::move(end);
    if (last) break;
  }
  verdict.passed = verdict.mismatches.empty();
  return Status::Ok();
}

}  // namespace lockstep::executor
