// CopyThrottle: the one Throttler of a DC's shadow copy, asked before every
// chunk of the copy and of the checksum. In order:
//
//   1. the applier failed                   -> stop (fail closed)
//   2. an operator aborted / paused         -> stop / wait
//   3. the applier is behind the binlog     -> wait (copy only: gh-ost never
//      copied a row under load because its applier could not keep up; here
//      the copy gives way instead)
//   3b. the coordinator's pacer: this DC's copy is too far ahead of the
//      slowest DC's                       -> wait (or stop: the migration stops)
//   4. a DRC link into this DC lags beyond the zone's budget, or its lag is
//      unknown (a stopped link)             -> wait
//   5. the application is busy              -> rest as ImpactGovernor says
//      keeps it at its share of throughput (or as an operator's nice ratio
//      says)
//
// Its Check() also marks window boundaries for the governor: the time from a
// Proceed to the next Check is a chunk; everything else is rest.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "db/connection.h"
#include "executor/common/sleeper.h"
#include "executor/copy/copy_pacer.h"
#include "executor/copy/impact_governor.h"
#include "executor/copy/throttler.h"
#include "executor/migration/operator_poll.h"

namespace lockstep {

// What the throttle needs to know about the DC's change applier.
class ApplierHealth {
 public:
  virtual ~ApplierHealth() = default;
  [[nodiscard]] virtual Status status() const = 0;
  // Transactions in the DC's binlog the applier has not read yet. It nets
  // what it read for up to a window before applying it, and stops reading
  // once its batches are full: a slow apply shows here too.
  [[nodiscard]] virtual Result<int64_t> TransactionsBehind() = 0;
};

struct CopyThrottleConfig {
  // The copy waits while the applier is this many transactions behind;
  // nullopt: never (the checksum, whose differing chunks wait for the
  // applier themselves).
  std::optional<int64_t> max_applier_backlog = 2000;
  int64_t lag_throttle_ms = 3000;   // the zone's DRC lag budget for the copy
  int64_t link_check_every_ms = 1000;
  // How long the caller measures the application's rate before the
  // migration changes anything (MeasureRateBefore, then RateBefore); 0: not.
  // A quiet server is known after measure_before_ms; a busy one is measured
  // for measure_before_busy_ms in all: the governor keeps its share of this
  // figure for the whole copy, and a busy application's rate moves by a
  // tenth or more from one second to the next (sysbench on the 2-core
  // sandbox), so half a second of it set the copy's target by chance.
  int64_t measure_before_ms = 500;
  int64_t measure_before_busy_ms = 3000;
  executor::ImpactGovernorConfig governor;
};

class CopyThrottle final : public executor::Throttler {
 public:
  // `probe` is a session of its own; `operators` may be null (tests, tools).
  CopyThrottle(ApplierHealth& applier, Connection& probe, OperatorPoll* operators,
               const Clock& clock, CopyThrottleConfig config = {})
      : applier_(applier), probe_(probe), operators_(operators), clock_(clock), config_(config),
        governor_(config.governor) {}

  Result<executor::ThrottleDecision> Check() override;
  // The server's statements over `ms` (sleeping that long), read on `probe`.
  struct RateSample {
    int64_t ms = 0;
    int64_t statements = 0;
    double PerSecond() const {
      return ms > 0 ? 1000.0 * static_cast<double>(statements) / static_cast<double>(ms) : 0;
    }
  };
  static Result<RateSample> MeasureRate(Connection& probe, const Clock& clock,
                                        executor::Sleeper& sleeper, int64_t ms);
  // The rate before the migration, measured as the config says (above).
  static Result<RateSample> MeasureRateBefore(Connection& probe, const Clock& clock,
                                              executor::Sleeper& sleeper,
                                              const CopyThrottleConfig& config);
  // The application's rate before the migration changed anything: the
  // governor's first reference (ImpactGovernor::Before).
  void RateBefore(const RateSample& sample) { governor_.Before(sample.ms, sample.statements); }
  bool ApplicationWriting() const override { return governor_.busy(); }
  // Asked before every chunk once set; may be null. Must outlive the throttle.
  void set_pacer(CopyPacer* pacer) { pacer_ = pacer; }

  const executor::ImpactGovernor& governor() const { return governor_; }
  // Whether the last Check() let a chunk go on an idle server: then work on
  // the side (ChecksumTrail) may use the rest of the machine. Safe to read
  // from any thread.
  bool QuietAndCopying() const { return quiet_and_copying_.load(); }
  // The reason of the last wait, for progress lines ("" when proceeding).
  const std::string& last_reason() const { return last_reason_; }

 private:
  Result<int64_t> Statements();
  // Closes the window that ends now and hands it to the governor.
  Status CloseWindow();
  Result<std::optional<std::string>> LinkLag();
  executor::ThrottleDecision Wait(int64_t ms, std::string why);

  ApplierHealth& applier_;
  Connection& probe_;
  OperatorPoll* operators_;
  CopyPacer* pacer_ = nullptr;
  const Clock& clock_;
  const CopyThrottleConfig config_;
  executor::ImpactGovernor governor_;

  enum class Window { kNone, kChunk, kRest };
  Window window_ = Window::kNone;
  int64_t window_start_ms_ = 0;
  int64_t window_start_statements_ = 0;
  int64_t last_chunk_ms_ = 0;
  bool rested_ = false;  // since the last chunk (nice ratio)
  std::optional<int64_t> last_link_check_ms_;
  std::optional<std::string> link_lag_;  // the last link check's complaint
  std::string last_reason_;
  std::atomic<bool> quiet_and_copying_{false};
  // When the copy, waiting for the applier, last said how far behind the
  // applier is: at most every 2 s, so a DBA sees the backlog shrink (also
  // when it hovers around the limit).
  std::optional<int64_t> backlog_logged_ms_;
};

}  // namespace lockstep
