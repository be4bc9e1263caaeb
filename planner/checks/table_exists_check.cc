#include "planner/checks/check.h"

namespace lockstep {

void CheckTableExists(const CheckContext& ctx, std::vector<CheckResult>& out) {
  for (const auto& dc : ctx.dcs) {
    if (!dc.inspected()) continue;
    if (dc.table->exists) {
      out.push_back(Pass("table_exists", dc.name(), dc.table->engine, "", "the table exists"));
    } else {
      out.push_back(Fail("table_exists", dc.name(), "missing", "",
                         ctx.plan.schema + "." + ctx.plan.table + " does not exist in this DC"));
    }
  }
}

}  // namespace lockstep
