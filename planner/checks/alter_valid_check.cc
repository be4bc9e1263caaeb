#include "planner/checks/check.h"

namespace lockstep {

// The server itself must accept the change: it was applied to a temporary
// copy of the table in one DC (plan.probe_dc).
void CheckAlterValid(const CheckContext& ctx, std::vector<CheckResult>& out) {
  if (ctx.plan.probe_dc.empty()) {
    out.push_back(Fail("alter_valid", "", "", "",
                       "no DC could be read that has the table, so the change was not tried"));
  } else if (!ctx.plan.probe_error.empty()) {
    out.push_back(Fail("alter_valid", ctx.plan.probe_dc, "", "", ctx.plan.probe_error));
  } else {
    out.push_back(Pass("alter_valid", ctx.plan.probe_dc, "", "",
                       "the server accepts the change (tried on a temporary copy)"));
  }
}

}  // namespace lockstep
