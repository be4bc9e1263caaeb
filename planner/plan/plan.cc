#include "planner/plan/plan.h"

#include <algorithm>

namespace lockstep {

const char* CheckStatusName(CheckStatus s) {
  switch (s) {
    case CheckStatus::kPass: return "pass";
    case CheckStatus::kWarn: return "warn";
    case CheckStatus::kFail: return "fail";
  }
  return "fail";
}

bool Plan::HasFailedCheck() const {
  return std::any_of(checks.begin(), checks.end(),
                     [](const CheckResult& c) { return c.status == CheckStatus::kFail; });
}

}  // namespace lockstep
