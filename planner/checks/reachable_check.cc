#include "planner/checks/check.h"

namespace lockstep {

// Every DC must answer: a plan that could not look at a DC is no plan.
void CheckReachable(const CheckContext& ctx, std::vector<CheckResult>& out) {
  for (const auto& dc : ctx.dcs) {
    if (dc.inspected()) {
      out.push_back(Pass("reachable", dc.name(), dc.server->version, "", "inspected"));
    } else {
      out.push_back(Fail("reachable", dc.name(), "", "", "cannot inspect: " + dc.error));
    }
  }
}

}  // namespace lockstep
