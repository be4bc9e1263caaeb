#include "planner/checks/check.h"

namespace lockstep {

// Lag budget: a migration starts only when every DC applies what every other
// DC has written within the zone's start budget (measured by waiting for the
// source's GTID, see link_catch_up.h). A stopped link has unknown lag, and
// unknown lag fails: lockstep fails closed.
void CheckLinkLag(const CheckContext& ctx, std::vector<CheckResult>& out) {
  const std::string limit = std::to_string(ctx.budget.lag_start_ms) + " ms";
  for (const auto& dc : ctx.dcs) {
    if (!dc.inspected()) continue;
    bool any_failed = false;
    if (dc.server->links_unknown) {
      any_failed = true;
      out.push_back(Fail("link_lag", dc.name(), "unknown", limit, *dc.server->links_unknown));
    }
    for (const auto& link : dc.server->links) {
      if (link.io_running && link.sql_running) continue;
      any_failed = true;
      out.push_back(Fail("link_lag", dc.name(), "unknown", limit,
                         "link '" + link.connection_name + "' is not running, so its lag is "
                             "unknown" + (link.last_sql_error.empty() ? "" : ": " + link.last_sql_error)));
    }
    int64_t slowest = 0;
    std::string slowest_from;
    for (const auto& c : dc.catch_up) {
      if (!c.caught_up_ms) {
        any_failed = true;
        out.push_back(Fail("link_lag", dc.name(), c.from + "->" + dc.name() + ": over " + limit,
                           limit, "has not applied " + c.from + "'s writes (" + c.gtid +
                                      ") within the zone's start budget"));
      } else if (*c.caught_up_ms >= slowest) {
        slowest = *c.caught_up_ms;
        slowest_from = c.from;
      }
    }
    if (!any_failed) {
      out.push_back(Pass("link_lag", dc.name(),
                         slowest_from.empty() ? "nothing to apply"
                                              : slowest_from + "->" + dc.name() + ": " +
                                                    std::to_string(slowest) + " ms",
                         limit, "every DRC link within the lag budget"));
    }
  }
}

}  // namespace lockstep
