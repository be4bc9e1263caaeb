#include "planner/checks/check.h"

namespace lockstep {

// Space budget: the shadow table and the binlog it generates must fit, with
// the zone's headroom, and leave min_free_bytes free.
void CheckSpace(const CheckContext& ctx, std::vector<CheckResult>& out) {
  const int64_t need = ctx.plan.estimates.disk_bytes * (100 + ctx.budget.space_headroom_pct) / 100;
  const std::string limit = "need " + FormatBytes(need) + " + keep " +
                            FormatBytes(ctx.budget.min_free_bytes) + " free";
  for (const auto& dc : ctx.dcs) {
    if (!dc.inspected()) continue;
    const DiskSpace& disk = dc.table->disk;
    if (!disk.free_bytes) {
      out.push_back(Warn("space", dc.name(), "unknown", limit, "free disk " + disk.source));
      continue;
    }
    const std::string value = FormatBytes(*disk.free_bytes) + " free";
    if (*disk.free_bytes - need < ctx.budget.min_free_bytes) {
      out.push_back(Fail("space", dc.name(), value, limit,
                         "not enough free disk (" + disk.source + ")"));
    } else {
      out.push_back(Pass("space", dc.name(), value + " (" + disk.source + ")", limit,
                         "enough free disk"));
    }
  }
}

}  // namespace lockstep
