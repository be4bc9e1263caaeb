// The applier of one DC's shadow copy as the copier, the checksum, the copy
// throttle and the cut-over need it (ApplierHooks), and as the checksum
// trail needs it on a session of its own (TrailCatchUp).
#pragma once

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/failpoint.h"
#include "common/logging.h"
#include "executor/apply/applier_loop.h"
#include "executor/binlog/gtid_position.h"
#include "executor/copy/applier_catch_up.h"
#include "executor/copy/copy_pacer.h"
#include "executor/copy/copy_progress.h"
#include "executor/copy/key_span.h"
#include "executor/cutover/applier_drain.h"
#include "executor/migration/copy_throttle.h"
#include "executor/verify/checksum_trail.h"
#include "executor/verify/chunk_checksum.h"
#include "state/state_store.h"

namespace lockstep {

// The applier as the copier, the checksum, the throttle and the cut-over
// need it.
class ApplierHooks final : public ApplierHealth,
                           public executor::ApplierCatchUp,
                           public executor::ApplierDrain,
                           public executor::CopyObserver,
                           public executor::ChecksumObserver {
 public:
  // `applier` is a reference to the owner's pointer: the applier is restarted
  // (a new object) after a cut-over attempt that stopped it and then failed.
  ApplierHooks(std::unique_ptr<ApplierLoop>& applier, Connection& probe, StateStore& store, int64_t id,
               std::string dc)
      : applier_(applier), probe_(probe), store_(store), id_(id), dc_(std::move(dc)) {}

  void set_throttle(const CopyThrottle* throttle) { throttle_ = throttle; }
  void set_pacer(CopyPacer* pacer) { pacer_ = pacer; }
  // Rows copied before this run (a resumed copy): checkpoints and pacing count them.
  void set_rows_before(int64_t rows) { rows_before_ = rows; }
  void set_trail(executor::ChecksumTrail* trail) { trail_ = trail; }

  Status status() const override { return applier_->status(); }

  // Transactions in this DC's binlog that the applier has not read yet,
  // summed over GTID domains (ApplierHealth).
  // Between two bursts the reader has read everything logged before the last
  // one ended, at most a burst interval ago: it keeps up.
  Result<int64_t> TransactionsBehind() override {
    if (applier_->between_bursts()) return 0;
    return BinlogAhead(applier_->read_position());
  }

  // Transactions in this DC's binlog that are not in the shadow table yet:
  // also those the applier has read and not applied.
  Result<int64_t> TransactionsNotApplied() { return BinlogAhead(applier_->applied_position()); }

  Status WaitForApplierCaughtUp() override {
    LOCKSTEP_ASSIGN_OR_RETURN(auto pos, probe_.QueryValue("SELECT @@gtid_binlog_pos"));
    return applier_->WaitApplied(pos.value_or(""), 60000);
  }

  Status DrainApplierTo(const std::string& gtid_binlog_pos, int64_t timeout_ms) override {
    return applier_->WaitApplied(gtid_binlog_pos, timeout_ms);
  }

  // The applier holds what it reads until the copy knows its range
  // (ApplierLoopOptions::hold_until_frontier); from here on it leaves the
  // keys the copy will read to it, or applies everything where it cannot
  // tell (a key that is not one integer, an empty table).
  void CopyStarting(const std::optional<sql::KeyTuple>& after,
                    const std::optional<sql::KeyTuple>& upper) override {
    std::optional<CopyFrontier> frontier;
    if (upper && upper->size() == 1) {
      const auto top = executor::ParseIntegerKey((*upper)[0]);
      const auto from = after ? executor::ParseIntegerKey((*after)[0])
                              : std::optional<__int128>(CopyFrontier::kNothingCopied);
      if (top && from) frontier = CopyFrontier{*from, *top};
    }
    applier_->SetCopyFrontier(frontier);
  }

  // The applier may leave changes of rows the copy has not read yet to the
  // copy (CopyFrontier): integer keys only, where the order is the number's.
  void ChunkStarting(const sql::KeyTuple& chunk_end, const sql::KeyTuple& upper) override {
    if (chunk_end.size() != 1 || upper.size() != 1) return;
    const auto end = executor::ParseIntegerKey(chunk_end[0]);
    const auto top = executor::ParseIntegerKey(upper[0]);
    if (end && top) applier_->SetCopyFrontier(CopyFrontier{*end, *top});
  }

  // The checkpoint: the applied position is read before the watermark is
  // recorded, so a resume replays (harmless) rather than skips (data loss).
  Status ChunkCopied(const executor::CopyProgress& p) override {
    Checkpoint cp;
    cp.binlog_gtid = applier_->applied_position();
    cp.copy_watermark = p.watermark;
    cp.rows_copied = rows_before_ + std::max<int64_t>(0, p.rows_copied);
    cp.rows_total_estimate = std::max<int64_t>(0, p.rows_total_estimate);
    cp.applier_events = static_cast<int64_t>(applier_->rows_applied());
    if (trail_ && p.watermark) trail_->CopiedUpTo(*p.watermark);
    if (pacer_) pacer_->Copied(dc_, cp.rows_copied, std::max<int64_t>(cp.rows_total_estimate, cp.rows_copied));
    if (p.chunks % 20 == 0 || p.done) {
      std::string pace = "full speed";
      if (throttle_ && throttle_->governor().busy()) {
        const auto& governor = throttle_->governor();
        pace = fmt::format("resting {:.1f}x each chunk", governor.rest_ratio());
        if (governor.share() && governor.reference_rate()) {
          pace += fmt::format(", the application at {:.0f}% of its rate at rest ({:.0f} statements/s)",
                              100 * *governor.share(), *governor.reference_rate());
        }
      }
      DcLogger(dc_)->info("copy: {} / ~{} rows, {:.0f} rows/s while copying, {} ms throttled, {}; "
                          "applier {} rows ({} left to the copy)",
                          p.rows_copied, p.rows_total_estimate, p.rows_per_second, p.throttled_ms,
                          pace, applier_->rows_applied(), applier_->rows_left_to_copy());
    }
    return store_.SaveCheckpoint(id_, dc_, cp);
  }

  // Records the applier's applied position as the DC's resume point, the
  // copy's watermark unchanged: after the copy, a resume (in verifying,
  // ready or after COMMIT) replays seconds of binlog, not the whole checksum.
  // At most once a second, the applied position only ever moving forward.
  Status CheckpointApplied(bool force = false) {
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_applied_checkpoint_ < std::chrono::seconds(1)) return Status::Ok();
    last_applied_checkpoint_ = now;
    LOCKSTEP_ASSIGN_OR_RETURN(DcProgress progress, store_.GetDcProgress(id_, dc_));
    Checkpoint cp = progress.checkpoint;
    cp.binlog_gtid = applier_->applied_position();
    return store_.SaveCheckpoint(id_, dc_, cp);
  }

  // From now on every chunk the checksum finds equal (with all before it)
  // moves the DC's checksum watermark, so that a resume repeats at most one
  // chunk of the checksum. A chunk that still differs stops it there.
  void SaveChecksumProgress() { save_checksum_progress_ = true; }

  Status ChunkChecked(const executor::ChecksumChunkResult& r) override {
    LOCKSTEP_RETURN_IF_ERROR(CheckpointApplied());
    if (r.outcome == executor::ChecksumChunkResult::Outcome::kMismatch) {
      save_checksum_progress_ = false;
    } else if (save_checksum_progress_) {
      LOCKSTEP_RETURN_IF_ERROR(store_.SaveChecksumWatermark(id_, dc_, r.upper));
      Failpoint("after_checksum_progress", dc_);  // crash tests: verifying, part checked
    }
    if (r.outcome == executor::ChecksumChunkResult::Outcome::kMatch) return Status::Ok();
    auto appended = store_.AppendEvent(
        {id_, "lockstep", "checksum_chunk", dc_,
         std::string(executor::ChecksumOutcomeName(r.outcome)) + " up to " + r.upper +
             (r.pieces_locked ? " (" + std::to_string(r.pieces_locked) + " pieces compared locked)" : ""),
         ""});
    return appended.ok() ? Status::Ok() : appended.status();
  }

 private:
  // Transactions the binlog holds beyond `position`, summed over GTID domains.
  Result<int64_t> BinlogAhead(const std::string& position) {
    LOCKSTEP_ASSIGN_OR_RETURN(auto now, probe_.QueryValue("SELECT @@gtid_binlog_pos"));
    LOCKSTEP_ASSIGN_OR_RETURN(binlog::GtidPosition head, binlog::GtidPosition::Parse(now.value_or("")));
    LOCKSTEP_ASSIGN_OR_RETURN(binlog::GtidPosition from, binlog::GtidPosition::Parse(position));
    return head.CountAhead(from);
  }

  std::unique_ptr<ApplierLoop>& applier_;
  Connection& probe_;
  StateStore& store_;
  const int64_t id_;
  const std::string dc_;
  const CopyThrottle* throttle_ = nullptr;
  executor::ChecksumTrail* trail_ = nullptr;
  CopyPacer* pacer_ = nullptr;
  int64_t rows_before_ = 0;  // copied by earlier runs of a resumed copy
  std::chrono::steady_clock::time_point last_applied_checkpoint_{};
  bool save_checksum_progress_ = false;
};

// The checksum trail's view of the applier: its own session for reading the
// binlog position, since the probe belongs to the copy's thread.
class TrailCatchUp final : public executor::ApplierCatchUp {
 public:
  TrailCatchUp(std::unique_ptr<ApplierLoop>& applier, Connection& probe)
      : applier_(applier), probe_(probe) {}
  Status WaitForApplierCaughtUp() override {
    LOCKSTEP_ASSIGN_OR_RETURN(auto pos, probe_.QueryValue("SELECT @@gtid_binlog_pos"));
    return applier_->WaitApplied(pos.value_or(""), 60000);
  }

 private:
  std::unique_ptr<ApplierLoop>& applier_;
  Connection& probe_;
};

}  // namespace lockstep
