#include "planner/checks/check.h"

namespace lockstep {

// The zone decides the budgets and the cut-over mode: a table in no zone has
// neither, so it is refused rather than guessed.
void CheckZone(const CheckContext& ctx, std::vector<CheckResult>& out) {
  const std::string table = ctx.plan.schema + "." + ctx.plan.table;
  if (ctx.zone == nullptr) {
    out.push_back(Fail("zone", "", table, "", "no zone of " + ctx.topology.source_path +
                                                  " lists this table; add it to a [zone.NAME] "
                                                  "tables pattern"));
    return;
  }
  std::string message = "zone " + ctx.zone->name + " (" + ZoneTypeName(ctx.zone->type);
  if (ctx.zone->type == ZoneType::kGlobal) message += ", writer " + ctx.zone->writer_dc;
  out.push_back(Pass("zone", "", table, "", message + ")"));
}

}  // namespace lockstep
