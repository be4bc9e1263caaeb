// ImpactGovernor: how long the copy rests after each chunk so that the
// application keeps a chosen share of its throughput.
//
// It is a feedback loop on the application's *sustained* statement rate:
//
//   reference  the application's rate while the copy stands still. Measured
//              before the migration changed anything (Before()), and in reference rests: the
//              copy first rests settle_ms (the server finishes what the last
//              chunk left behind: page flushing, purge, the binlog), then
//              measure_ms, and only the second part counts. Repeated every
//              reference_every_ms, because the application's own rate changes
//              over a long copy. A rest's measurement can only lower the
//              reference by 1 - reference_decay at a time: what a chunk leaves
//              behind can outlast the settle, and a real drop in the
//              application's load still comes through within minutes
//              (docs/benchmarks.md, "Copy governor").
//   share      the application's rate over the last control_period_ms of
//              chunks and ordinary rests together, divided by the reference.
//   rest ratio rest after each chunk, in chunk lengths (gh-ost's "nice
//              ratio"). After every control period it is multiplied by
//              exp(gain * (keep_share - share)): too much impact rests longer,
//              headroom rests less.
//
// Why the sustained rate and not the rate while a chunk runs: most of what a
// chunk costs lands after it, so a per-chunk estimate under-rests
// (docs/benchmarks.md). And why measure at all rather
// than a fixed ratio: the same chunk costs an application on a CPU-bound
// two-core box most of its throughput and one on a 32-core box almost nothing;
// a fixed ratio is either too slow for the second or too harsh for the first.
//
// An idle server (few statements from others while a chunk runs) means no
// rest at all: the copy runs at full speed.
//
// Pure arithmetic: the caller samples a statement counter (Questions) and a
// clock at window boundaries and asks NextRest() before every chunk. Not
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>

namespace lockstep::executor {

struct ImpactGovernorConfig {
  // Of the application's rate at rest, while copying. That rate pays for the
  // binlog stream and the applier, which the copy cannot rest away: where
  // they cost more than 1 - keep_share, the copy rests its longest. 0.9 left
  // the copy window at the 80% line (docs/benchmarks.md, "the governor's reference").
  double keep_share = 0.95;
  // A reference measured in a rest is at least this share of the one before
  // (every reference_every_ms): a real drop in the application's load comes
  // through, 10% in about 2.5 minutes; a rest measured low after a chunk
  // does not (0.97 let it sink too far: docs/benchmarks.md, "a governor with a true reference").
  double reference_decay = 0.99;
  // Fewer statements a second than this from everyone else: idle, no rest.
  double busy_statements_per_s = 200;
  // lockstep's own statements in a window (the throttle's probes, the chunk's
  // ChunkEnd and INSERT): not the application's. Counted in, they made an
  // idle server look busy over 20-50 ms chunks.
  int64_t own_statements_per_window = 8;
  double initial_rest_ratio = 1.5;  // until the first control period has ended
  double min_rest_ratio = 0.1;
  double max_rest_ratio = 30;
  int64_t min_rest_ms = 20;
  double gain = 3;  // how hard one control period's error moves the ratio
  int64_t control_period_ms = 2000;
  int64_t settle_ms = 500;
  int64_t measure_ms = 1000;
  int64_t reference_every_ms = 15000;
  // The first reference rest after the rate before (Before()) comes this
  // early: the rate before, measured just after lockstep planned, can come
  // low (docs/benchmarks.md, "the governor's reference"), and a rest raises the reference at
  // once; at 15 s most of a 2M-row copy had run against the low one.
  int64_t first_reference_after_ms = 3000;
  // Windows shorter than this are too noisy to learn from.
  int64_t min_window_ms = 20;
};

class ImpactGovernor {
 public:
  explicit ImpactGovernor(ImpactGovernorConfig config = {});

  // The server counted `statements` in `ms` before the migration, with
  // nothing of the copy running: the first reference, if the server is busy.
  void Before(int64_t ms, int64_t statements);
  // The server counted `statements` while a chunk ran for `ms`.
  void ChunkWindow(int64_t ms, int64_t statements);
  // ... while the copy rested (or waited for any other reason) for `ms`.
  void RestWindow(int64_t ms, int64_t statements);

  // How long to rest before the next chunk (0: go), given the last chunk's
  // length. Called before every chunk; each call may start a rest.
  int64_t NextRest(int64_t last_chunk_ms);

  bool busy() const { return busy_; }
  // The rest after each chunk, in chunk lengths; 0 while idle.
  double rest_ratio() const { return busy_ ? rest_ratio_ : 0; }
  // The application's rate in the last control period as a share of the
  // reference; nullopt until one has been measured.
  std::optional<double> share() const { return share_; }
  std::optional<double> reference_rate() const { return reference_rate_; }

 private:
  enum class Reference { kNone, kSettling, kSettled, kMeasuring, kMeasured };

  double Theirs(int64_t statements) const;
  void AddToControl(int64_t ms, int64_t statements);
  void Quiet();

  const ImpactGovernorConfig config_;
  bool busy_ = false;
  bool chunk_since_rest_ = false;
  Reference reference_ = Reference::kNone;
  std::optional<double> reference_rate_;  // statements/s with the copy still
  int64_t since_reference_ms_ = 0;
  double rest_ratio_;
  std::optional<double> share_;
  int64_t control_ms_ = 0;
  double control_statements_ = 0;  // the application's, in this control period
};

}  // namespace lockstep::executor
