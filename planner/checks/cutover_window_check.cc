#include <algorithm>

#include "planner/checks/check.h"

namespace lockstep {

// Round trips the coordinator makes to a DC while writes are held: window
// mode locks, reads the position, waits for the applier, renames and
// unlocks; fenced mode adds the marker exchange between DCs.
inline constexpr int64_t kWindowRoundTrips = 6;
inline constexpr int64_t kFencedExtraRoundTrips = 4;
// The server's own share: lock, rename and unlock of one table, measured
// at well under 50 ms on the sandbox.
inline constexpr int64_t kServerWorkMs = 50;

// Lock budget, part 2: the expected time writes are held in each DC must fit
// the zone's cut-over window; and lockstep's own lock waits must be shorter
// than the window, or one wait could use it up.
void CheckCutoverWindow(const CheckContext& ctx, std::vector<CheckResult>& out) {
  const int64_t window = ctx.budget.cutover_window_ms;
  const std::string limit = std::to_string(window) + " ms";
  if (ctx.plan.cutover_mode == CutoverMode::kRefused) return;
  int64_t max_rtt_ms = 0;
  for (const auto& dc : ctx.dcs) {
    if (dc.inspected()) max_rtt_ms = std::max<int64_t>(max_rtt_ms, dc.server->round_trip_us / 1000);
  }
  for (const auto& dc : ctx.dcs) {
    if (!dc.inspected()) continue;
    const int64_t rtt_ms = std::max<int64_t>(1, dc.server->round_trip_us / 1000);
    int64_t expected = kWindowRoundTrips * rtt_ms + kServerWorkMs;
    if (ctx.plan.cutover_mode == CutoverMode::kFenced) {
      expected += kFencedExtraRoundTrips * std::max<int64_t>(1, max_rtt_ms);
    }
    const std::string value = std::to_string(expected) + " ms";
    if (expected > window) {
      out.push_back(Fail("cutover_window", dc.name(), value, limit,
                         "the expected cut-over (round trip " + std::to_string(rtt_ms) +
                             " ms) does not fit the zone's window"));
    } else {
      out.push_back(Pass("cutover_window", dc.name(), value, limit,
                         "expected cut-over fits the window (round trip " +
                             std::to_string(rtt_ms) + " ms)"));
    }
  }
  if (ctx.budget.lock_wait_ms > window) {
    out.push_back(Warn("cutover_window", "", std::to_string(ctx.budget.lock_wait_ms) + " ms",
                       limit, "lock_wait_ms is longer than the cut-over window"));
  }
}

}  // namespace lockstep
