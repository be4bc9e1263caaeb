#include "planner/checks/check.h"

namespace lockstep {

// Lag budget: a migration starts only when every DRC link into every DC is
// within the zone's start budget. A stopped link has unknown lag, and unknown
// lag fails: lockstep fails closed.
void CheckLinkLag(const CheckContext& ctx, std::vector<CheckResult>& out) {
  const std::string limit = std::to_string(ctx.budget.lag_start_ms) + " ms";
  for (const auto& dc : ctx.dcs) {
    if (!dc.inspected()) continue;
    for (const auto& link : dc.server->links) {
      const std::string name = dc.name() + "<-" + link.connection_name;
      if (!link.io_running || !link.sql_running || !link.seconds_behind_master) {
        out.push_back(Fail("link_lag", dc.name(), "unknown", limit,
                           "link " + name + " is not running, so its lag is unknown" +
                               (link.last_sql_error.empty() ? "" : ": " + link.last_sql_error)));
        continue;
      }
      const int64_t lag_ms = *link.seconds_behind_master * 1000;
      const std::string value = name + ": " + std::to_string(lag_ms) + " ms";
      if (lag_ms > ctx.budget.lag_start_ms) {
        out.push_back(Fail("link_lag", dc.name(), value, limit,
                           "link " + name + " lags beyond the zone's start budget"));
      } else {
        out.push_back(Pass("link_lag", dc.name(), value, limit, "DRC links within the lag budget"));
      }
    }
  }
}

}  // namespace lockstep
