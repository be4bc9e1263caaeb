// ImpactGovernor: how long the copy rests after each chunk so that the
// application keeps a chosen share of its throughput.
//
// The application's statement rate is sampled over two kinds of window: while
// a chunk runs, and while the copy rests. Their ratio is how much a running
// chunk slows the application (1: not at all, 0.3: to 30%). If a chunk slows
// it to `s` and the copy rests `n` times the chunk's length, the application
// keeps (s + n) / (1 + n) of its rate, so the governor rests
//     n = (keep - s) / (1 - keep)
// chunk lengths after each chunk. An idle server (few statements from
// others) means no rest at all: the copy runs at full speed.
//
// Why measure instead of a fixed nice ratio: the same chunk costs an
// application on a CPU-bound two-core box most of its throughput, and one on
// a 32-core box almost nothing; a fixed ratio is either too slow for the
// second or too harsh for the first. gh-ost and pt-osc use fixed ratios and
// load thresholds (Threads_running), which say that the server is busy but
// not what the copy costs.
//
// Pure arithmetic: the caller samples a statement counter (Questions) and a
// clock at window boundaries. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>

namespace lockstep::executor {

struct ImpactGovernorConfig {
  double keep_share = 0.9;  // of the application's throughput, while copying
  // Fewer statements a second than this from everyone else: idle, no rest.
  double busy_statements_per_s = 200;
  // lockstep's own statements in a window (the throttle's probes, the chunk's
  // ChunkEnd and INSERT): not the application's. Counted in, they made an
  // idle server look busy over 20-50 ms chunks (measured: 2.4 s of needless
  // rests in a 14 s idle copy).
  int64_t own_statements_per_window = 8;
  double max_rest_ratio = 20;   // never rest longer than this many chunk lengths
  // While busy the copy always rests a little, so that the application's
  // undisturbed rate keeps being measured (it changes over a long copy).
  double min_rest_ratio = 0.25;
  int64_t min_rest_ms = 50;
  double initial_slowdown = 0.5;  // assumed until a rest window has been measured
  double smoothing = 0.3;       // weight of the newest measurement (EWMA)
  // Windows shorter than this are too noisy to learn from.
  int64_t min_window_ms = 20;
  // Only rests at least this long measure the undisturbed rate: right after
  // a chunk the application is still catching up (measured: with 50-100 ms
  // rests the governor saw almost no slowdown while TPS fell by a third).
  int64_t reference_min_ms = 400;
  // While busy, a rest of reference_rest_ms at least this often, so that the
  // reference stays current even when the measured rests are short.
  int64_t reference_every_ms = 10000;
  int64_t reference_rest_ms = 800;
};

class ImpactGovernor {
 public:
  explicit ImpactGovernor(ImpactGovernorConfig config = {}) : config_(config) {}

  // The application issued `statements` while a chunk ran for `ms`.
  void ChunkWindow(int64_t ms, int64_t statements);
  // ... while the copy rested (or waited for any other reason) for `ms`;
  // only rests of at least reference_min_ms count as the undisturbed rate.
  void RestWindow(int64_t ms, int64_t statements);

  // How long to rest after a chunk that took `chunk_ms`; 0 when idle.
  int64_t RestAfter(int64_t chunk_ms) const;
  // The rest as a multiple of the chunk's length (gh-ost's "nice ratio").
  double rest_ratio() const;

  bool busy() const { return busy_; }
  // The application's rate while a chunk runs, as a share of its rate while
  // the copy rests; nullopt until both have been measured.
  std::optional<double> slowdown() const { return slowdown_; }

 private:
  double Rate(int64_t ms, int64_t statements) const;

  const ImpactGovernorConfig config_;
  bool busy_ = false;
  std::optional<double> chunk_rate_;  // statements/s while the last chunk ran
  std::optional<double> rest_rate_;   // smoothed, while resting
  std::optional<double> slowdown_;    // smoothed
  int64_t since_reference_ms_ = 0;    // copying and resting since the last reference
};

}  // namespace lockstep::executor
